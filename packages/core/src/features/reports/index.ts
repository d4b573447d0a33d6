// The reports feature's public face: exactly the names @teamstate/core exports from it.
export type { DueReminder, ReportReminders } from './report-reminders.js';
export type { ReportOptions, ReportQuery, ReportSubmission, Reports } from './reports-api.js';
export type { ReportSearchHit, ReportSearchOptions } from './search-reports.js';
export type { TimelineEntry, TimelineEntryKind, TimelineQuery, TimelineWorkItem } from './timeline.js';
