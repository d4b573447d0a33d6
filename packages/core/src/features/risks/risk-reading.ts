import type { Approval } from '../../kernel/model/derived.js';
import type { RiskEvidence, TeamRisk } from '../../kernel/model/team-risk.js';
import type { Store } from '../../kernel/store/open-store.js';
import { columns, text } from '../../kernel/store/row-decoder.js';
import { mayRead, type Readable, type Reading } from '../../records/identity/viewer.js';
import { signalOwners } from '../../services/wellbeing/index.js';

// A risk is a team-level fact everyone may read (team, title, severity, owner, mitigation), but its evidence can be a
// person's: a wellbeing signal about them, their daily report. Those pieces follow the one reading rule, by the kind of
// data they are (`wellbeing` for wellbeing signals, `reports` for reports): a viewer who may not read that person's
// data gets the risk without them, and a source naming a withheld signal reads `signal:withheld`.

/** The source a viewer reads when the signal a risk was recorded from is withheld from them. */
export const WITHHELD_SOURCE = 'signal:withheld';

const reportRow = columns({ id: text, person: text });

/**
 * The risks as `reading`'s viewer may read them (unchanged for the database's owner). `wellbeingKinds` are the kinds
 * of the wellbeing detectors, as `ts.signals.list` filters them.
 */
export async function risksForViewer<R extends Pick<TeamRisk, 'source' | 'evidence'>>(
  store: Pick<Store, 'execute'>,
  workspace: string,
  reading: Reading,
  wellbeingKinds: readonly string[],
  risks: R[],
): Promise<R[]> {
  if (risks.length === 0 || (await reading.viewer()) === undefined) return risks;
  const sourceSignal = (risk: R) => (risk.source.startsWith('signal:') ? risk.source.slice('signal:'.length) : undefined);
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
  const out: R[] = [];
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
 * The register's approvals (`risk.create|update|close`) as `reading`'s viewer may read them: approvals are readable to
 * every viewer, but a `risk.create`'s params may name a person's wellbeing signal (`source`, the fingerprint names the
 * person) or their report (`evidence`). Those follow the same rule as the risk's own evidence; other approvals are
 * returned as they are.
 */
export async function riskApprovalsForViewer(
  store: Pick<Store, 'execute'>,
  workspace: string,
  reading: Reading,
  wellbeingKinds: readonly string[],
  approvals: Approval[],
): Promise<Approval[]> {
  const asked = approvals.flatMap((approval) =>
    approval.type === 'risk.create'
      ? [
          {
            approval,
            source: (typeof approval.params.source === 'string' ? approval.params.source : 'manual') as TeamRisk['source'],
            evidence: Array.isArray(approval.params.evidence) ? (approval.params.evidence as RiskEvidence[]) : [],
          },
        ]
      : [],
  );
  if (asked.length === 0) return approvals;
  const read = await risksForViewer(store, workspace, reading, wellbeingKinds, asked);
  const seen = new Map<Approval, Approval>();
  for (const [n, { approval, source, evidence }] of asked.entries()) {
    const view = read[n]!;
    if (view.source === source && view.evidence.length === evidence.length) continue;
    const hide = (text: string) => (view.source === source ? text : text.split(source).join(WITHHELD_SOURCE));
    seen.set(approval, {
      ...approval,
      target: hide(approval.target),
      reason: hide(approval.reason),
      params: {
        ...approval.params,
        ...(approval.params.source === undefined ? {} : { source: view.source }),
        ...(approval.params.evidence === undefined ? {} : { evidence: view.evidence }),
      },
    });
  }
  return approvals.map((approval) => seen.get(approval) ?? approval);
}
