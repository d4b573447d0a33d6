import type { Store } from '../../kernel/store/open-store.js';
import { columns, text } from '../../kernel/store/row-decoder.js';
import { mayRead, type Readable, type Reading } from '../../records/identity/viewer.js';

// Wellbeing signals are person-level facts: who may see one, or anything that names one (a risk's evidence, a nudge
// about it), follows the reading rule's `wellbeing` kind. Detectors say which kinds are about wellbeing.

/** The kinds of the wellbeing detectors among `detectors`, as `ts.signals.list` filters them. */
export const wellbeingKinds = (detectors: readonly { kind: string; wellbeing?: boolean }[] = []): string[] =>
  detectors.filter((detector) => detector.wellbeing).map((detector) => detector.kind);

const signalRow = columns({ fingerprint: text, kind: text, subjectType: text, subjectId: text });

/** Whose data a signal is, when it is a wellbeing signal: `undefined` when everyone may read it. */
export interface SignalOwner {
  wellbeing: boolean;
  /** The person it is about, when known; unknown means withheld from everyone but the database's owner. */
  person?: string;
}

/**
 * Which of `fingerprints` `reading`'s viewer may not read: wellbeing signals about a person whose wellbeing is not
 * theirs to read (none for the database's owner).
 */
export async function withheldSignals(
  store: Pick<Store, 'execute'>,
  workspace: string,
  reading: Reading,
  wellbeingKinds: readonly string[],
  fingerprints: ReadonlySet<string>,
): Promise<Set<string>> {
  const withheld = new Set<string>();
  if (fingerprints.size === 0 || (await reading.viewer()) === undefined) return withheld;
  const owners = await signalOwners(store, workspace, wellbeingKinds, fingerprints);
  let wellbeing: Readable | undefined;
  for (const [fingerprint, owner] of owners) {
    if (!owner.wellbeing) continue;
    wellbeing ??= await reading.readable('wellbeing');
    if (owner.person === undefined || !mayRead(wellbeing, owner.person)) withheld.add(fingerprint);
  }
  return withheld;
}

/**
 * Which of `fingerprints` are wellbeing signals, and about whom: from the stored signal, else (a signal since
 * forgotten) from the fingerprint itself, `<kind>:<subject type>:<subject id>`.
 */
export async function signalOwners(
  store: Pick<Store, 'execute'>,
  workspace: string,
  wellbeingKinds: readonly string[],
  fingerprints: ReadonlySet<string>,
): Promise<Map<string, SignalOwner>> {
  const owners = new Map<string, SignalOwner>();
  if (fingerprints.size === 0) return owners;
  const { rows } = await store.execute(
    `SELECT fingerprint, kind, subject_type AS subjectType, subject_id AS subjectId FROM signals
     WHERE workspace = ? AND fingerprint IN (SELECT value FROM json_each(?))`,
    [workspace, JSON.stringify([...fingerprints])],
  );
  for (const row of signalRow.all(rows))
    owners.set(row.fingerprint, {
      wellbeing: wellbeingKinds.includes(row.kind),
      ...(row.subjectType === 'person' ? { person: row.subjectId } : {}),
    });
  for (const fingerprint of fingerprints) {
    if (owners.has(fingerprint)) continue;
    const [kind = '', subjectType, ...rest] = fingerprint.split(':');
    const wellbeing = wellbeingKinds.includes(kind);
    // A wellbeing fingerprint's subject is one person id (ids have no colon when a detector adds a key after it).
    owners.set(fingerprint, { wellbeing, ...(wellbeing && subjectType === 'person' && rest.length === 1 ? { person: rest[0] } : {}) });
  }
  return owners;
}
