import type { MeetingDeps, SharedMeetingDeps } from './meeting-pack-model.js';
import { oneOnOne } from './one-on-one.js';
import { retro } from './retro.js';

export type {
  MeetingDeps,
  MeetingEvidence,
  MeetingLine,
  MeetingPack,
  MeetingSection,
  SharedMeetingDeps,
} from './meeting-pack-model.js';
export { oneOnOne } from './one-on-one.js';
export { retro } from './retro.js';

/**
 * The facade's `ts.meetings`: `viewer` holds the readers bound to one viewer (the reading rule applies inside them),
 * `shared` returns what is the same for everyone (read when a pack is made, so the facade may be built after this).
 */
export function createMeetings(
  viewer: Pick<MeetingDeps, 'reading' | 'reports' | 'timeline' | 'signals' | 'risks'>,
  shared: () => SharedMeetingDeps,
) {
  const deps = (): MeetingDeps => {
    const { now, ...rest } = shared();
    return { ...rest, ...viewer, clock: now };
  };
  return {
    oneOnOne: (person: string, query?: { from?: string; to?: string }) => oneOnOne(deps(), person, query),
    retro: (team: string, query?: { sprint?: string }) => retro(deps(), team, query),
  };
}
