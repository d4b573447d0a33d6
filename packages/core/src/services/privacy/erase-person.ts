import { randomBytes } from 'node:crypto';
import { TeamStateError } from '../../kernel/errors.js';
import type { Store } from '../../kernel/store/open-store.js';
import { checkKnown, invalid } from '../../records/arguments.js';
import type { FeatureDefinition } from '../../records/feature.js';
import { type ErasedIdentity, eraseIdentity, isPseudonym, removePerson } from '../../records/identity/erasures.js';
import { forgetDeliveriesNaming } from '../../records/webhooks/erase-deliveries.js';
import { appendAuditEvent } from '../audit/index.js';
import { type ArchiveHolding, archivesHolding } from '../retention/index.js';
import { OPT_OUT_KINDS } from './opt-outs.js';

/** What `ts.people.erase()` did. */
export interface ErasureResult {
  /** The person id their activity is kept under from now on (`erased-<hex>`). */
  pseudonym: string;
  /**
   * Rows removed: reports and their revisions, feedback about AI assistants, tokens, AI tool usage, survey answers,
   * accounts; and the bodies of finished webhook deliveries that named them (`webhookBodies`: the rows stay).
   */
  removed: {
    reports: number;
    reportRevisions: number;
    aiFeedback: number;
    tokens: number;
    aiUsage: number;
    surveyResponses: number;
    accounts: number;
    webhookBodies: number;
  };
  /** References renamed to the pseudonym: work items authored, assignments, reviews, team memberships, knowledge documents written. */
  renamed: { workItems: number; assignments: number; reviews: number; memberships: number; knowledgeDocuments: number };
  /**
   * The bytes on disk (docs/security.md#erasing-a-person). `scrubbed`: a local file, where what the erasure deleted was
   * overwritten with zeros and the write-ahead log emptied (or a database in memory). `log_in_use`: the same, but another
   * connection was still reading an older snapshot, so the log keeps earlier copies of the pages until the last process
   * using the file closes it. `server`: a libSQL server or an embedded replica, whose storage and history the server keeps.
   */
  storage: 'scrubbed' | 'log_in_use' | 'server';
  /**
   * Retention archives written before the erasure that still hold their data (their reports, or deliveries and signals
   * naming them), each with the files that do (none: it could not be read, check it by hand). teamstate never rewrites an
   * archive: delete these files, or keep them only as long as your retention rules allow.
   */
  archives: ArchiveHolding[];
}

/** What names a person in free text (a delivery's body, an archived line): their identifiers, and their email and name as words. */
function needlesOf(identity: ErasedIdentity): { identifiers: string[]; words: string[] } {
  const emails = identity.identifiers.filter((id) => id.includes('@'));
  return { identifiers: identity.identifiers, words: [...emails, ...(identity.name ? [identity.name] : [])] };
}

/**
 * Erases a person in one transaction (docs/daily-reports.md): their reports and report revisions, AI
 * feedback, tokens, AI tool usage, survey answers, accounts, opt-outs and the signals about them are removed (each
 * feature removes what it holds through its `person.erase` hook), and the bodies of finished webhook deliveries naming
 * them forgotten; the person (name, email, time zone) is replaced by a pseudonym that keeps their activity (PRs
 * authored, reviews, assignments, team memberships, knowledge documents written), so team metrics stay true.
 * The sha256 of their person id, account ids and logins and email is remembered, so a later sync or import maps them to
 * the pseudonym instead of bringing their identity or reports back. An audit entry `person.erased` (naming only the
 * pseudonym) records who did it (`by`, default `api`). Approvals and the audit ledger keep the ids they recorded: the ledger is
 * hash-chained evidence and is never rewritten.
 * Then the bytes (docs/security.md#erasing-a-person): a local file is rebuilt from its live rows (`VACUUM`), so nothing
 * deleted is left in it; the write-ahead log, which still holds the pages as they were, is emptied; and the retention
 * archives written before that hold them are listed (never rewritten).
 * @example const { pseudonym } = await ts.people.erase('ana', { by: 'dpo@acme.dev' })
 */
export async function erasePerson(
  deps: {
    store: Store;
    workspace: string;
    clock: () => Date;
    features: readonly FeatureDefinition[];
    /** The retention archive folder (`retention.archive`, resolved). */
    archive: string;
  },
  person: string,
  options: { by?: string } = {},
): Promise<ErasureResult> {
  const { store, workspace } = deps;
  const by = options.by ?? 'api';
  if (typeof by !== 'string' || by.trim() === '') throw invalid('by: say who erases the person (recorded on the audit ledger)');
  await checkKnown(store.execute, workspace, 'person', person);
  const erased = await store.write(async (tx) => {
    if (await isPseudonym(tx, workspace, person))
      throw new TeamStateError('invalid_argument', `person: ${person} is the pseudonym of someone already erased`);
    const pseudonym = `erased-${randomBytes(6).toString('hex')}`;
    const now = deps.clock().getTime();
    const identity = await eraseIdentity(tx, workspace, person, pseudonym, now);
    const counts: Record<string, number> = {
      accounts: identity.accounts,
      webhookBodies: await forgetDeliveriesNaming(tx, workspace, needlesOf(identity)),
    };
    for (const feature of deps.features)
      if (feature.hooks?.person)
        for (const [name, n] of Object.entries(
          await feature.hooks.person.erase(tx, {
            workspace,
            person,
            name: identity.name,
            pseudonym,
            identifiers: identity.identifiers,
            now,
          }),
        ))
          counts[name] = (counts[name] ?? 0) + n;
    const removed = {
      reports: counts.reports ?? 0,
      reportRevisions: counts.reportRevisions ?? 0,
      aiFeedback: counts.aiFeedback ?? 0,
      tokens: counts.tokens ?? 0,
      aiUsage: counts.aiUsage ?? 0,
      surveyResponses: counts.surveyResponses ?? 0,
      accounts: counts.accounts ?? 0,
      webhookBodies: counts.webhookBodies ?? 0,
    };
    await tx.execute({ sql: 'DELETE FROM person_opt_outs WHERE workspace = ? AND person_id = ?', args: [workspace, person] });
    // The pseudonym is no one to have wellbeing signals about, nor to remind or survey.
    for (const kind of OPT_OUT_KINDS)
      await tx.execute({
        sql: "INSERT INTO person_opt_outs (workspace, person_id, kind, source, created_at) VALUES (?, ?, ?, 'person', ?)",
        args: [workspace, pseudonym, kind, now],
      });
    await removePerson(tx, workspace, person);
    const renamed = { ...identity.renamed, knowledgeDocuments: counts.knowledgeDocuments ?? 0 };
    await appendAuditEvent(tx, workspace, now, { type: 'person.erased', actor: by, data: { pseudonym, removed, renamed } });
    return { pseudonym, removed, renamed, identity };
  });
  // The file is rebuilt from the live rows, and the log, which still holds the pages as they were, emptied.
  const log = await store.emptyLog();
  const storage = log === 'emptied' ? 'scrubbed' : log === 'in_use' ? 'log_in_use' : 'server';
  const archives = await archivesHolding({ store, workspace, archive: deps.archive }, needlesOf(erased.identity));
  return { pseudonym: erased.pseudonym, removed: erased.removed, renamed: erased.renamed, storage, archives };
}
