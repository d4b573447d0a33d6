import type { RiskEvidence, TeamRisk } from '../../kernel/model/team-risk.js';
import type { Store } from '../../kernel/store/open-store.js';
import { columns, text } from '../../kernel/store/row-decoder.js';
import { mayRead, type Readable, type Reading } from '../../records/identity/viewer.js';

// A risk is a team-level fact everyone may read (team, title, severity, owner, mitigation), but its evidence can be a
// person's: a wellbeing signal about them, their daily report. Those pieces follow the one reading rule, by the kind of
// data they are (`wellbeing` for wellbeing signals, `reports` for reports): a viewer who may not read that person's
// data gets the risk without them, and a source naming a withheld signal reads `signal:withheld`.

/** The source a viewer reads when the signal a risk was recorded from is withheld from them. */
export const WITHHELD_SOURCE = 'signal:withheld';

const signalRow = columns({ fingerprint: text, kind: text, subjectType: text, subjectId: text });
const reportRow = columns({ id: text, person: text });

/** Whose data a signal is, when it is a wellbeing signal: `undefined` when everyone may read it. */
interface SignalOwner {
  wellbeing: boolean;
  /** The person it is about, when known; unknown means withheld from everyone but the database's owner. */
  person?: string;
}

/**
 * The risks as `reading`'s viewer may read them (unchanged for the database's owner). `wellbeingKinds` are the kinds
 * of the wellbeing detectors, as `ts.signals.list` filters them.
 */
export async function risksForViewer(
  store: Pick<Store, 'execute'>,
  workspace: string,
  reading: Reading,
  wellbeingKinds: readonly string[],
  risks: TeamRisk[],
): Promise<TeamRisk[]> {
  if (risks.length === 0 || (await reading.viewer()) === undefined) return risks;
  const sourceSignal = (risk: TeamRisk) => (risk.source.startsWith('signal:') ? risk.source.slice('signal:'.length) : undefined);
  const fingerprints = new Set<string>();
  const reportIds = new Set<string>();
  for (const risk of risks) {
    const source = sourceSignal(risk);
    if (source !== undefined) fingerprints.add(source);
    for (const e of risk.evidence) {
      if (e.kind === 'signal') fingerprints.add(e.ref);
      else if (e.kind === 'report') reportIds.add(e.ref);
    }
  }
  const owners = await signalOwners(store, workspace, wellbeingKinds, fingerprints);
  const authors = new Map(
    reportIds.size === 0
      ? []
      : reportRow
          .all(
            (
              await store.execute(
                'SELECT id, person_id AS person FROM reports WHERE workspace = ? AND id IN (SELECT value FROM json_each(?))',
                [workspace, JSON.stringify([...reportIds])],
              )
            ).rows,
          )
          .map((row) => [row.id, row.person]),
  );
  // Resolved once, and only when some evidence needs it.
  const lazy = (kind: 'wellbeing' | 'reports') => {
    let readable: Promise<Readable> | undefined;
    return () => {
      readable ??= reading.readable(kind);
      return readable;
    };
  };
  const wellbeing = lazy('wellbeing');
  const reports = lazy('reports');
  const signalReadable = async (fingerprint: string, data?: Record<string, unknown>) => {
    const owner = owners.get(fingerprint);
    const isWellbeing = owner?.wellbeing || (typeof data?.kind === 'string' && wellbeingKinds.includes(data.kind));
    if (!isWellbeing) return true;
    return owner?.person !== undefined && mayRead(await wellbeing(), owner.person);
  };
  const readable = async (e: RiskEvidence) => {
    if (e.kind === 'signal') return signalReadable(e.ref, e.data);
    if (e.kind === 'report') {
      const author = authors.get(e.ref);
      return author !== undefined && mayRead(await reports(), author);
    }
    return true;
  };
  const out: TeamRisk[] = [];
  for (const risk of risks) {
    const evidence: RiskEvidence[] = [];
    for (const e of risk.evidence) if (await readable(e)) evidence.push(e);
    const source = sourceSignal(risk);
    const hidden =
      source !== undefined && !(await signalReadable(source, risk.evidence.find((e) => e.kind === 'signal' && e.ref === source)?.data));
    out.push(
      evidence.length === risk.evidence.length && !hidden ? risk : { ...risk, evidence, ...(hidden ? { source: WITHHELD_SOURCE } : {}) },
    );
  }
  return out;
}

/**
 * Which of `fingerprints` are wellbeing signals, and about whom: from the stored signal, else (a signal since
 * forgotten) from the fingerprint itself, `<kind>:<subject type>:<subject id>`.
 */
async function signalOwners(
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
