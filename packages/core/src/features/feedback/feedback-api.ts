import { z } from 'zod';
import type { Logger } from '../../kernel/logger.js';
import { FEEDBACK_CATEGORIES, type Feedback, type FeedbackCategory, feedbackFieldsSchema } from '../../kernel/model/feedback.js';
import { describeZodIssues } from '../../kernel/model/zod-issues.js';
import type { InValue } from '../../kernel/store/driver.js';
import type { Store } from '../../kernel/store/open-store.js';
import { columns, text } from '../../kernel/store/row-decoder.js';
import { invalid, unknownId } from '../../records/arguments.js';
import type { Reading } from '../../records/identity/viewer.js';
import { appendAuditEvent } from '../../services/audit/index.js';
import type { Connector } from '../../spec/connector.js';
import { untracked } from './feedback-arguments.js';
import { type FeedbackEffect, type FeedbackEffectQuery, feedbackEffect } from './feedback-effect.js';
import { type FeedbackPatternQuery, type FeedbackPatterns, feedbackPatterns } from './feedback-patterns.js';
import { type RuleSuggestion, type RuleSuggestionQuery, suggestRules } from './suggest-rules.js';
import { newFeedbackId, readFeedback, writeFeedback } from './write-feedback.js';

/** What `ts.feedback.add()` takes. */
export interface FeedbackInput {
  /** Who reports it: the person correcting the assistant. */
  person: string;
  category: FeedbackCategory;
  /** What the assistant got wrong, at most 4,000 characters. */
  text: string;
  /** The assistant, as people call it: `claude-code`, `copilot`, `cursor` … */
  tool?: string;
  /** `owner/name` of a repository the workspace tracks (synced or imported). */
  repository?: string;
  /** The pull request's number in `repository`. */
  pullRequest?: number;
  /** Files or folders the correction was about, relative to the repository root (no `..`, not absolute). */
  paths?: string[];
  /**
   * Who actually typed it, when that is not established by a credential (the CLI's OS user with `--as`): the feedback
   * is then recorded on the audit ledger as `feedback.added`.
   */
  submittedBy?: string;
}

/** `ts.feedback` (docs/ai-feedback.md): what AI assistants get wrong, the patterns, rules that address them. */
export interface FeedbackApi {
  /**
   * Records what an AI assistant got wrong. Bad input (an unknown category, empty or over-long text, a repository the
   * workspace does not track, a path outside the repository) is one error naming the field; nothing is written.
   * @example await ts.feedback.add({ person: 'ana', category: 'missing_tests', text: 'Forgot our refund fixtures', repository: 'acme/api', paths: ['services/payments/refund.ts'], tool: 'claude-code' })
   */
  add(input: FeedbackInput): Promise<Feedback>;
  /**
   * What assistants keep getting wrong over a window (default: the 90 days before now): feedback grouped by category,
   * repository, path pattern (the deepest directory common to the paths) and language (from file extensions), most
   * reported first, each with its count, the trend (first half of the window against the second) and up to 3 examples.
   * @example const { patterns } = await ts.feedback.patterns({ from: '2026-01-01', to: '2026-04-01', repository: 'acme/api' })
   */
  patterns(query?: FeedbackPatternQuery): Promise<FeedbackPatterns>;
  /**
   * Rules for a repository's agent instructions from its patterns with at least `minCount` (default 2) reports, in a
   * format: `claude` (CLAUDE.md), `agents` (AGENTS.md), `cursor` (`.cursor/rules/<name>.mdc` with `description`,
   * `globs`, `alwaysApply`), `copilot` (`.github/copilot-instructions.md`, or `.github/instructions/<name>.instructions.md`
   * with `applyTo` for path-scoped rules). Deterministic text citing the evidence counts, the whole new file, and a
   * unified diff against the file on the default branch (read through the connector that syncs the repository).
   * @example const { path, diff } = await ts.feedback.suggestRules({ repository: 'acme/api', format: 'claude' })
   */
  suggestRules(query: RuleSuggestionQuery): Promise<RuleSuggestion>;
  /**
   * Whether merged rules helped: for each rule pull request opened through `github.pr.open_file_change` that merged,
   * each category it addresses, as feedback per 100 AI-assisted pull requests merged in the same repository in the
   * `weeks` (default 4) before and after the merge, with the counts.
   * @example const { rules } = await ts.feedback.effect({ weeks: 4 })
   */
  effect(query?: FeedbackEffectQuery): Promise<FeedbackEffect>;
}

const inputSchema = feedbackFieldsSchema.extend({
  submittedBy: z
    .string({ error: 'expected the name of who typed the feedback (e.g. the OS user), or leave it out' })
    .refine((value) => value.trim() !== '', { error: 'expected the name of who typed the feedback (e.g. the OS user), or leave it out' })
    .optional(),
});

/** Checks `ts.feedback.add()` input: the first problem, as one error naming the field and the fix. */
function checkInput(raw: unknown): z.infer<typeof inputSchema> {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
    throw invalid('feedback: expected { person, category, text, tool?, repository?, pullRequest?, paths? }');
  const category = (raw as { category?: unknown }).category;
  if (category === undefined) throw invalid(`category: required (one of ${FEEDBACK_CATEGORIES.join(', ')})`);
  if (!FEEDBACK_CATEGORIES.includes(category as FeedbackCategory)) {
    throw unknownId('category', category, FEEDBACK_CATEGORIES, { listAs: 'expected one of ', list: 'always' });
  }
  const parsed = inputSchema.safeParse(raw);
  if (!parsed.success) {
    const [issue] = describeZodIssues(inputSchema, parsed.error.issues);
    throw invalid(`${issue?.path || 'feedback'}: ${issue?.message ?? 'invalid'}`);
  }
  const input = parsed.data;
  if (input.pullRequest !== undefined && input.repository === undefined)
    throw invalid('repository: required with pullRequest (the repository the pull request is in)');
  if (input.paths !== undefined && input.paths.length > 0 && input.repository === undefined)
    throw invalid('repository: required with paths (the repository the paths are in)');
  return input;
}

const recordId = columns({ id: text });

/** Builds `ts.feedback`; `clock` is the write path's clock (the time stamped on new feedback), `now` the reading clock. */
export function createFeedbackApi(deps: {
  store: Store;
  workspace: string;
  clock: () => Date;
  now: () => Date;
  connectors: readonly Connector[];
  log: Logger;
  /** Who reads: patterns and suggested rules quote only the feedback the viewer may read. */
  reading: Reading;
}): FeedbackApi {
  const { store, workspace, clock, reading } = deps;
  return {
    patterns: (query) => feedbackPatterns({ store, workspace, now: deps.now, reading }, query),
    effect: (query) => feedbackEffect({ store, workspace, now: deps.now }, query),
    suggestRules: (query) => suggestRules({ store, workspace, now: deps.now, connectors: deps.connectors, log: deps.log, reading }, query),
    async add(raw) {
      const input = checkInput(raw);
      return store.write(async (tx) => {
        const q = async (sql: string, args: InValue[]) => (await tx.execute({ sql, args })).rows;
        const ids = async (table: 'people' | 'repositories') =>
          recordId.all(await q(`SELECT id FROM ${table} WHERE workspace = ? ORDER BY id`, [workspace])).map((row) => row.id);
        const exists = async (table: 'people' | 'repositories', id: string) =>
          (await q(`SELECT 1 FROM ${table} WHERE workspace = ? AND id = ?`, [workspace, id])).length > 0;
        if (!(await exists('people', input.person))) throw unknownId('person', input.person, await ids('people'));
        if (input.repository !== undefined && !(await exists('repositories', input.repository)))
          throw untracked(input.repository, await ids('repositories'));
        const now = clock().getTime();
        const id = newFeedbackId();
        await writeFeedback(tx, workspace, [{ ...input, id, createdAt: now }]);
        if (input.submittedBy !== undefined)
          await appendAuditEvent(tx, workspace, now, {
            type: 'feedback.added',
            actor: input.person,
            data: { person: input.person, feedback: id, category: input.category, submittedBy: input.submittedBy },
          });
        return (await readFeedback(tx, workspace, id))!;
      });
    },
  };
}
