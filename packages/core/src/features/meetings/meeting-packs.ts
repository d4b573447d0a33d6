// Meeting packs: the 1:1 pack of a person and the retro pack of a team's sprint (feature.ts builds `ts.meetings`).
export type { MeetingDeps, MeetingEvidence, MeetingLine, MeetingPack, MeetingSection } from './meeting-pack-model.js';
export { oneOnOne } from './one-on-one.js';
export { retro } from './retro.js';
