import { randomBytes } from 'node:crypto';
import { TeamStateError } from '../../kernel/errors.js';
import type { Store } from '../../kernel/store/open-store.js';
import { appendAuditEvent } from '../audit/append-audit-event.js';
import { checkKnown, invalid } from '../reports/report-arguments.js';
import { accountKey, emailKey, erasureKey, personKey } from './erasures.js';
import { OPT_OUT_KINDS } from './opt-outs.js';

/** What `ts.people.erase()` did. */
export interface ErasureResult {
  /** The person id their activity is kept under from now on (`erased-<hex>`). */
  pseudonym: string;
  /** Rows removed: reports and their revisions, feedback about AI assistants, tokens, AI tool usage, survey answers, accounts. */
  removed: {
    reports: number;
    reportRevisions: number;
    aiFeedback: number;
    tokens: number;
    aiUsage: number;
    surveyResponses: number;
    accounts: number;
  };
  /** References renamed to the pseudonym: work items authored, assignments, reviews, team memberships. */
  renamed: { workItems: number; assignments: number; reviews: number; memberships: number };
}

/**
 * Erases a person in one transaction (docs/daily-reports.md#peoples-data): their reports and report revisions, AI feedback, tokens, AI tool
 * usage, survey answers, accounts,
 * opt-outs and the signals about them are removed; the person (name, email, time zone) is replaced by a pseudonym
 * that keeps their activity (PRs authored, reviews, assignments, team memberships), so team metrics stay true.
 * The sha256 of their person id, account ids and email is remembered, so a later sync or import maps them to the
 * pseudonym instead of bringing their identity or reports back. An audit entry `person.erased` (naming only the
 * pseudonym) records who did it (`by`, default `api`). Approvals and the audit ledger keep the ids they recorded: the ledger is
 * hash-chained evidence and is never rewritten.
 * @example const { pseudonym } = await ts.people.erase('ana', { by: 'dpo@acme.dev' })
 */
export async function erasePerson(
  deps: { store: Store; workspace: string; clock: () => Date },
  person: string,
  options: { by?: string } = {},
): Promise<ErasureResult> {
  const { store, workspace } = deps;
  const by = options.by ?? 'api';
  if (typeof by !== 'string' || by.trim() === '') throw invalid('by: say who erases the person (recorded on the audit ledger)');
  await checkKnown(store.execute, workspace, 'person', person);
  return store.write(async (tx) => {
    const run = async (sql: string, args: (string | number | null)[]) => (await tx.execute({ sql, args })).rowsAffected;
    const already = await tx.execute({
      sql: 'SELECT 1 FROM erasures WHERE workspace = ? AND pseudonym = ? LIMIT 1',
      args: [workspace, person],
    });
    if (already.rows.length > 0)
      throw new TeamStateError('invalid_argument', `person: ${person} is the pseudonym of someone already erased`);
    const [row] = (await tx.execute({ sql: 'SELECT name, email FROM people WHERE workspace = ? AND id = ?', args: [workspace, person] }))
      .rows;
    const accounts = (
      await tx.execute({
        sql: 'SELECT provider, external_id FROM accounts WHERE workspace = ? AND person_id = ?',
        args: [workspace, person],
      })
    ).rows.map((a) => accountKey(String(a.provider), String(a.external_id)));
    const keys = [personKey(person), ...accounts, ...(row?.email ? [emailKey(String(row.email))] : [])];
    const pseudonym = `erased-${randomBytes(6).toString('hex')}`;
    const now = deps.clock().getTime();
    for (const key of keys)
      await run('INSERT INTO erasures (workspace, key_hash, pseudonym, erased_at) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING', [
        workspace,
        erasureKey(key),
        pseudonym,
        now,
      ]);
    await run('INSERT INTO people (workspace, id, name) VALUES (?, ?, ?)', [workspace, pseudonym, pseudonym]);
    const rename = (table: string, column: string) =>
      run(`UPDATE ${table} SET ${column} = ? WHERE workspace = ? AND ${column} = ?`, [pseudonym, workspace, person]);
    const renamed = {
      workItems: await rename('work_items', 'author_id'),
      assignments: await rename('work_item_assignees', 'person_id'),
      reviews: await rename('reviews', 'reviewer_id'),
      memberships: await rename('memberships', 'person_id'),
    };
    const removed = {
      reportRevisions: await run(
        'DELETE FROM report_revisions WHERE workspace = ?1 AND report_id IN (SELECT id FROM reports WHERE workspace = ?1 AND person_id = ?2)',
        [workspace, person],
      ),
      reports: await run('DELETE FROM reports WHERE workspace = ? AND person_id = ?', [workspace, person]),
      aiFeedback: await run('DELETE FROM ai_feedback WHERE workspace = ? AND person_id = ?', [workspace, person]),
      tokens: await run('DELETE FROM tokens WHERE workspace = ? AND person_id = ?', [workspace, person]),
      // How one person used AI tools is about them, not team activity: it goes with the person.
      aiUsage: await run('DELETE FROM ai_usage WHERE workspace = ? AND person_id = ?', [workspace, person]),
      surveyResponses: await run('DELETE FROM survey_responses WHERE workspace = ? AND person_id = ?', [workspace, person]),
      accounts: await run('DELETE FROM accounts WHERE workspace = ? AND person_id = ?', [workspace, person]),
    };
    await run('DELETE FROM surveys WHERE workspace = ? AND person_id = ?', [workspace, person]);
    await run('DELETE FROM person_opt_outs WHERE workspace = ? AND person_id = ?', [workspace, person]);
    await run('DELETE FROM report_reminders WHERE workspace = ? AND person_id = ?', [workspace, person]);
    // The pseudonym is no one to have wellbeing signals about, nor to remind or survey.
    for (const kind of OPT_OUT_KINDS)
      await run("INSERT INTO person_opt_outs (workspace, person_id, kind, source, created_at) VALUES (?, ?, ?, 'person', ?)", [
        workspace,
        pseudonym,
        kind,
        now,
      ]);
    // Signals are derived: those about the person, or naming them, go; the next refresh finds what still holds.
    await run(
      `DELETE FROM signals WHERE workspace = ? AND ((subject_type = 'person' AND subject_id = ?) OR instr(evidence, ?) > 0 OR instr(title, ?) > 0)`,
      [workspace, person, JSON.stringify(person), String(row?.name ?? person)],
    );
    await run('DELETE FROM people WHERE workspace = ? AND id = ?', [workspace, person]);
    await appendAuditEvent(tx, workspace, now, { type: 'person.erased', actor: by, data: { pseudonym, removed, renamed } });
    return { pseudonym, removed, renamed };
  });
}
