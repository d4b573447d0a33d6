import type { Store } from '../../kernel/store/open-store.js';
import { mayRead, type ReadingRules, readablePeople, viewerOf } from '../../records/identity/viewer.js';

// A risk recorded from a signal reads it as its proposer: a person's wellbeing signal they may not read is, to them,
// no signal at all (docs/security.md#who-may-acknowledge-a-signal).

type Execute = Pick<Store, 'execute'>;

/**
 * Who proposes a change, as the source is read: the person it is made for (`onBehalfOf`), else the requester (a person
 * id, or a name that is nobody's: an assistant on a credential that names no person). With the wellbeing detectors'
 * kinds and the reading rules, a wellbeing signal the proposer may not read is "no signal", the answer of a wrong id.
 */
export interface SourceReader {
  person: string;
  wellbeingKinds: readonly string[];
  rules: ReadingRules;
}

/** Whether `reader` may read the signal of `kind` about `subject` (a wellbeing signal only under `privacy.wellbeing`). */
export async function maySeeSignal(
  store: Execute,
  workspace: string,
  reader: SourceReader,
  row: { kind: string; subjectType: string; subjectId: string },
): Promise<boolean> {
  if (!reader.wellbeingKinds.includes(row.kind)) return true;
  if (row.subjectType !== 'person') return false;
  const person =
    (await store.execute('SELECT 1 FROM people WHERE workspace = ? AND id = ?', [workspace, reader.person])).rows.length > 0
      ? reader.person
      : undefined;
  const viewer = await viewerOf(store, workspace, reader.rules, person === undefined ? {} : { person });
  return mayRead(await readablePeople(store, workspace, reader.rules, viewer, 'wellbeing'), row.subjectId);
}
