// The incidents feature's door: the facade's `ts.incidents.brief` and `ts.incidents.summaries`.

export type { BriefPerson, BriefRunbook, BriefTimelineEntry } from './brief-types.js';
export { type BriefDrafts, inline } from './drafts.js';
export {
  type IncidentBrief,
  type IncidentBriefDeps,
  incidentStatus,
} from './incident-brief.js';
export { createIncidentsFeature, type IncidentListQuery, type IncidentSummary, type IncidentsFeature } from './incidents-api.js';
export { SUSPECT_WEIGHTS, SUSPECT_WINDOW_MS, type Suspect, type SuspectReason } from './suspects.js';
