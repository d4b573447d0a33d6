import type { EffectWindow, FeedbackCategory, RuleEffect } from '../../kernel/model/feedback.js';
import { formatTimestamp } from '../../kernel/model/timestamp.js';
import type { InValue } from '../../kernel/store/driver.js';
import type { Store } from '../../kernel/store/open-store.js';
import { columns, integer, nullable, scalar, text } from '../../kernel/store/row-decoder.js';
import { invalid } from '../../records/arguments.js';
import { markedCategories } from './agent-rule-formats.js';
import { checkTracked } from './feedback-arguments.js';

/** Options of `ts.feedback.effect()`. */
export interface FeedbackEffectQuery {
  /** Weeks before and after each merge (default 4, at most 26). */
  weeks?: number;
  /** Only rules of this repository. */
  repository?: string;
}

export type { CategoryEffect, EffectWindow, RuleEffect } from '../../kernel/model/feedback.js';

/** What `ts.feedback.effect()` returns. */
export interface FeedbackEffect {
  weeks: number;
  rules: RuleEffect[];
  /** Rule pull requests opened but not (or not yet known to be) merged: the PR is open, closed, or not synced. */
  pending: { repository: string; path: string; pullRequest: number; approval: string }[];
}

const WEEK_MS = 7 * 86_400_000;
/** An executed `github.pr.open_file_change` approval: its params and result (JSON; NULL before it ran). */
const ruleApproval = columns({ id: text, params: text, result: nullable(text) });
const mergedPullRequest = columns({ merged_at: integer });
const round = (value: number) => Math.round(value * 100) / 100;

/**
 * `ts.feedback.effect()`: for each rule pull request teamstate opened (`github.pr.open_file_change`, executed) that
 * merged, each category its file addresses (the `teamstate:ai-feedback categories` marker): the category's feedback
 * per 100 AI-assisted pull requests (`ai.assisted` true, docs/ai-impact.md) merged in the same repository in the
 * `weeks` before and after the merge, with the counts, so small numbers are not over-read.
 */
export async function feedbackEffect(deps: { store: Store; workspace: string; now: () => Date }, query: FeedbackEffectQuery = {}) {
  const { store, workspace } = deps;
  if (typeof query !== 'object' || query === null) throw invalid('query: expected { weeks?, repository? }');
  const weeks = query.weeks ?? 4;
  if (!Number.isInteger(weeks) || weeks < 1 || weeks > 26)
    throw invalid(`weeks: expected a whole number from 1 to 26, got ${JSON.stringify(query.weeks)}`);
  if (query.repository !== undefined) await checkTracked(store.execute, workspace, query.repository);
  const now = deps.now().getTime();
  const { rows: approvals } = await store.execute(
    `SELECT id, params, result FROM approvals WHERE workspace = ? AND action_type = 'github.pr.open_file_change' AND status = 'executed'
     ORDER BY executed_at, id`,
    [workspace],
  );
  const count = async (sql: string, args: InValue[]) => scalar((await store.execute(sql, args)).rows, 'n', integer);
  const side = async (repository: string, category: FeedbackCategory, from: number, to: number): Promise<EffectWindow> => {
    const feedback = await count(
      'SELECT count(*) AS n FROM ai_feedback WHERE workspace = ? AND repository_id = ? AND category = ? AND created_at >= ? AND created_at < ?',
      [workspace, repository, category, from, to],
    );
    const aiPullRequests = await count(
      `SELECT count(*) AS n FROM work_items w WHERE w.workspace = ? AND w.kind = 'pull_request' AND w.repository_id = ?
       AND w.merged_at >= ? AND w.merged_at < ? AND w.ai_assisted = 1`,
      [workspace, repository, from, to],
    );
    return {
      from: formatTimestamp(from),
      to: formatTimestamp(to),
      feedback,
      aiPullRequests,
      ratePer100: aiPullRequests === 0 ? null : round((feedback / aiPullRequests) * 100),
    };
  };
  const rules: RuleEffect[] = [];
  const pending: FeedbackEffect['pending'] = [];
  for (const row of ruleApproval.all(approvals)) {
    const params = JSON.parse(row.params) as { repository?: string; path?: string; content?: string };
    const result = row.result === null ? undefined : (JSON.parse(row.result) as { number?: number });
    if (typeof params.repository !== 'string' || typeof result?.number !== 'number') continue;
    if (query.repository !== undefined && params.repository.toLowerCase() !== query.repository.toLowerCase()) continue;
    const categories = markedCategories(params.content ?? '');
    if (categories.length === 0) continue;
    const ref = { repository: params.repository, path: String(params.path), pullRequest: result.number, approval: row.id };
    const merged = mergedPullRequest.first(
      (
        await store.execute(
          "SELECT merged_at FROM work_items WHERE workspace = ? AND kind = 'pull_request' AND key = ? AND merged_at IS NOT NULL",
          [workspace, `${params.repository}#${result.number}`],
        )
      ).rows,
    );
    if (merged === undefined) {
      pending.push(ref);
      continue;
    }
    const mergedAt = merged.merged_at;
    const end = Math.min(mergedAt + weeks * WEEK_MS, now);
    rules.push({
      ...ref,
      mergedAt: formatTimestamp(mergedAt),
      complete: mergedAt + weeks * WEEK_MS <= now,
      categories: await Promise.all(
        categories.map(async (category) => {
          const before = await side(params.repository!, category, mergedAt - weeks * WEEK_MS, mergedAt);
          const after = await side(params.repository!, category, mergedAt, Math.max(end, mergedAt));
          const change = before.ratePer100 === null || after.ratePer100 === null ? null : round(after.ratePer100 - before.ratePer100);
          return { category, before, after, change };
        }),
      ),
    });
  }
  return { weeks, rules, pending } satisfies FeedbackEffect;
}
