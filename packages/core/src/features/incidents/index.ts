// The incidents feature's public face: exactly the names @teamstate/core exports from it.
export type { BriefPerson, BriefRunbook, BriefTimelineEntry } from './brief-types.js';
export type { IncidentBrief } from './incident-brief.js';
export type { IncidentListQuery, IncidentSummary } from './incidents-api.js';
export type { OncallPage, OncallShiftSpan } from './oncall-load.js';
export * from './oncall-model.js';
export type { Suspect, SuspectReason } from './suspects.js';
