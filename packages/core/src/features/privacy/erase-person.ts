import { randomBytes } from 'node:crypto';
import { TeamStateError } from '../../kernel/errors.js';
import type { Store } from '../../kernel/store/open-store.js';
import { checkKnown, invalid } from '../../records/arguments.js';
import type { FeatureDefinition } from '../../records/feature.js';
import { eraseIdentity, isPseudonym, removePerson } from '../../records/identity/erasures.js';
import { appendAuditEvent } from '../audit/index.js';
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
 * Erases a person in one transaction (docs/daily-reports.md): their reports and report revisions, AI
 * feedback, tokens, AI tool usage, survey answers, accounts, opt-outs and the signals about them are removed (each
 * feature removes what it holds through its `person.erase` hook); the person (name, email, time zone) is replaced by a pseudonym
 * that keeps their activity (PRs authored, reviews, assignments, team memberships), so team metrics stay true.
 * The sha256 of their person id, account ids and email is remembered, so a later sync or import maps them to the
 * pseudonym instead of bringing their identity or reports back. An audit entry `person.erased` (naming only the
 * pseudonym) records who did it (`by`, default `api`). Approvals and the audit ledger keep the ids they recorded: the ledger is
 * hash-chained evidence and is never rewritten.
 * @example const { pseudonym } = await ts.people.erase('ana', { by: 'dpo@acme.dev' })
 */
export async function erasePerson(
  deps: { store: Store; workspace: string; clock: () => Date; features: readonly FeatureDefinition[] },
  person: string,
  options: { by?: string } = {},
): Promise<ErasureResult> {
  const { store, workspace } = deps;
  const by = options.by ?? 'api';
  if (typeof by !== 'string' || by.trim() === '') throw invalid('by: say who erases the person (recorded on the audit ledger)');
  await checkKnown(store.execute, workspace, 'person', person);
  return store.write(async (tx) => {
    if (await isPseudonym(tx, workspace, person))
      throw new TeamStateError('invalid_argument', `person: ${person} is the pseudonym of someone already erased`);
    const pseudonym = `erased-${randomBytes(6).toString('hex')}`;
    const now = deps.clock().getTime();
    const identity = await eraseIdentity(tx, workspace, person, pseudonym, now);
    const counts: Record<string, number> = { accounts: identity.accounts };
    for (const feature of deps.features)
      if (feature.person)
        for (const [name, n] of Object.entries(await feature.person.erase(tx, { workspace, person, name: identity.name, pseudonym, now })))
          counts[name] = (counts[name] ?? 0) + n;
    const removed = {
      reports: counts.reports ?? 0,
      reportRevisions: counts.reportRevisions ?? 0,
      aiFeedback: counts.aiFeedback ?? 0,
      tokens: counts.tokens ?? 0,
      aiUsage: counts.aiUsage ?? 0,
      surveyResponses: counts.surveyResponses ?? 0,
      accounts: counts.accounts ?? 0,
    };
    await tx.execute({ sql: 'DELETE FROM person_opt_outs WHERE workspace = ? AND person_id = ?', args: [workspace, person] });
    // The pseudonym is no one to have wellbeing signals about, nor to remind or survey.
    for (const kind of OPT_OUT_KINDS)
      await tx.execute({
        sql: "INSERT INTO person_opt_outs (workspace, person_id, kind, source, created_at) VALUES (?, ?, ?, 'person', ?)",
        args: [workspace, pseudonym, kind, now],
      });
    await removePerson(tx, workspace, person);
    const renamed = identity.renamed;
    await appendAuditEvent(tx, workspace, now, { type: 'person.erased', actor: by, data: { pseudonym, removed, renamed } });
    return { pseudonym, removed, renamed };
  });
}
