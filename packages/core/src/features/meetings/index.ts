// The meetings feature's public face: exactly the names @teamstate/core exports from it.
export type { MeetingEvidence, MeetingLine, MeetingPack, MeetingSection } from './meeting-packs.js';
