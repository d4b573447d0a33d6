import { TeamStateError } from '../../kernel/errors.js';
import { columns, nullable, text } from '../../kernel/store/row-decoder.js';
import { mayRead, readablePeople, viewerOf } from '../../records/identity/viewer.js';
import type { SignalsContext } from './signals-context.js';

// Who may acknowledge, snooze or unacknowledge a signal (docs/security.md#who-may-acknowledge-a-signal): its
// addressees, the members of its team and the leads (the reading rule's leads: `teams[].leads` and the policy's
// approvers who are members). A person-level signal (a wellbeing detector's) is first of all the person's data: to
// anyone who may not read it under `privacy.wellbeing` it does not exist, with the answer of a wrong id.

/** The row an ack, snooze or unack is decided on. */
const accessRow = columns({
  kind: text,
  subject_type: text,
  subject_id: text,
  team_id: nullable(text),
  evidence: text,
  status: text,
});
const personRow = columns({ person: text });
const teamRow = columns({ team: text });

/** A signal as the triage functions see it once {@link checkSignalAccess} let the caller through. */
export interface AccessibleSignal {
  kind: string;
  status: string;
}

/** The one answer for a signal id that names nothing the caller may see: the same code and text either way. */
export function signalNotFound(id: string): TeamStateError {
  return new TeamStateError('not_found', `signal: no signal "${id}" (teamstate signals --json lists their fingerprints)`);
}

/** The people a signal speaks to: its person; of a work item, its author, assignees and reviewers; evidence's names. */
async function addresseesOf(ctx: SignalsContext, row: ReturnType<typeof accessRow.all>[number]): Promise<Set<string>> {
  const out = new Set<string>();
  if (row.subject_type === 'person') out.add(row.subject_id);
  if (row.subject_type === 'work_item') {
    const { rows } = await ctx.store.execute(
      `SELECT author_id AS person FROM work_items WHERE workspace = ?1 AND id = ?2 AND author_id IS NOT NULL
       UNION SELECT person_id FROM work_item_assignees WHERE workspace = ?1 AND work_item_id = ?2
       UNION SELECT person_id FROM review_requests WHERE workspace = ?1 AND work_item_id = ?2
       UNION SELECT reviewer_id FROM reviews WHERE workspace = ?1 AND work_item_id = ?2`,
      [ctx.workspace, row.subject_id],
    );
    for (const { person } of personRow.all(rows)) out.add(person);
  }
  let evidence: unknown;
  try {
    evidence = JSON.parse(row.evidence) as unknown;
  } catch {
    evidence = undefined;
  }
  if (evidence && typeof evidence === 'object' && !Array.isArray(evidence)) {
    const named = evidence as Record<string, unknown>;
    for (const value of [named.author, named.person, ...(Array.isArray(named.reviewers) ? named.reviewers : [])])
      if (typeof value === 'string') out.add(value);
  }
  return out;
}

/**
 * Refuses `by` an ack, snooze or unack of signal `id` unless they may: a person-level signal they may not read (nor
 * the facade's reader) is "not found" exactly as a wrong id is; otherwise only its addressees, the members of its
 * team and the leads of its team (or, for a signal of no team, of its addressees' teams; any lead when it has
 * neither) may. Returns what the caller needs of the signal.
 */
export async function checkSignalAccess(ctx: SignalsContext, id: string, by: string): Promise<AccessibleSignal> {
  const { store, workspace, rules } = ctx;
  const row = accessRow.first(
    (
      await store.execute(
        'SELECT kind, subject_type, subject_id, team_id, evidence, status FROM signals WHERE workspace = ? AND fingerprint = ?',
        [workspace, id],
      )
    ).rows,
  );
  if (!row) throw signalNotFound(id);
  const viewer = await viewerOf(store, workspace, rules, { person: by });
  if (ctx.wellbeingKinds.includes(row.kind)) {
    const subject = row.subject_type === 'person' ? row.subject_id : undefined;
    const own = await readablePeople(store, workspace, rules, viewer, 'wellbeing');
    const facade = ctx.reading ? await ctx.reading.readable('wellbeing') : { all: true as const };
    if (subject === undefined || !mayRead(own, subject) || !mayRead(facade, subject)) throw signalNotFound(id);
  }
  const addressees = await addresseesOf(ctx, row);
  if (addressees.has(by)) return row;
  if (row.team_id !== null && (viewer.teams.includes(row.team_id) || viewer.lead.includes(row.team_id))) return row;
  if (row.team_id === null) {
    const { rows } = await store.execute(
      'SELECT DISTINCT team_id AS team FROM memberships WHERE workspace = ? AND person_id IN (SELECT value FROM json_each(?))',
      [workspace, JSON.stringify([...addressees])],
    );
    const teams = teamRow.all(rows).map((r) => r.team);
    if (teams.some((team) => viewer.lead.includes(team))) return row;
    if (addressees.size === 0 && viewer.lead.length > 0) return row;
  }
  const who =
    row.team_id === null ? 'its addressees and their teams’ leads' : `its addressees, members of team ${row.team_id} and its leads`;
  throw new TeamStateError('forbidden', `forbidden: signal "${id}" may be acknowledged by ${who}; ${by} is none of them`);
}
