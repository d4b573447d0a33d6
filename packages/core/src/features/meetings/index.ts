// The meetings feature's door: the facade's `ts.meetings` (1:1 and retro packs). It owns no table: it reads through the
// viewer-bound readers of the other features, so the reading rule applies to every line.
export {
  createMeetings,
  type MeetingDeps,
  type MeetingEvidence,
  type MeetingLine,
  type MeetingPack,
  type MeetingSection,
  oneOnOne,
  retro,
  type SharedMeetingDeps,
} from './meeting-packs.js';
