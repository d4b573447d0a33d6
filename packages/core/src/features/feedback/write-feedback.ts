import { createHash, randomBytes } from 'node:crypto';
import type { BundleFeedback, Feedback } from '../../kernel/model/feedback.js';
import { normalizeRepositoryPath } from '../../kernel/model/feedback.js';
import type { Transaction } from '../../kernel/store/driver.js';
import { toRow } from '../../kernel/store/table-spec.js';
import { upsertRows } from '../../kernel/store/upsert.js';
import { feedbackFromRow } from './feedback-rows.js';
import { aiFeedbackSpec } from './table-specs.js';

/** What {@link writeFeedback} stores: checked fields (the person and repository exist), `createdAt` in epoch ms. */
export type FeedbackWrite = Omit<Feedback, 'paths' | 'createdAt'> & { paths?: readonly string[]; createdAt: number };

/** A new feedback id, `fb_<16 hex>`. */
export const newFeedbackId = () => `fb_${randomBytes(8).toString('hex')}`;

/**
 * The id of bundle feedback that names none: derived from what it says (person, category, text, tool, repository,
 * pull request, paths, createdAt), so importing the same bundle twice writes it once.
 */
export function bundleFeedbackId(feedback: BundleFeedback): string {
  const content = [
    feedback.person,
    feedback.category,
    feedback.text,
    feedback.tool ?? '',
    feedback.repository ?? '',
    feedback.pullRequest ?? '',
    (feedback.paths ?? []).map(normalizeRepositoryPath).join('\n'),
    feedback.createdAt ?? '',
  ];
  return `fb_${createHash('sha256').update(JSON.stringify(content)).digest('hex').slice(0, 16)}`;
}

/** Paths in their one spelling, each once, in the order given. */
export const normalizePaths = (paths: readonly string[] | undefined): string[] | undefined =>
  paths === undefined ? undefined : [...new Set(paths.map(normalizeRepositoryPath))];

/**
 * Writes feedback rows inside the open transaction (an id written again with the same content changes nothing).
 * Returns how many rows changed.
 */
export async function writeFeedback(tx: Transaction, workspace: string, feedback: readonly FeedbackWrite[]): Promise<number> {
  return upsertRows(
    tx,
    aiFeedbackSpec,
    feedback.map((f) => {
      const paths = normalizePaths(f.paths);
      return toRow(aiFeedbackSpec, {
        workspace,
        id: f.id,
        personId: f.person,
        category: f.category,
        tool: f.tool ?? null,
        text: f.text,
        pullRequest: f.pullRequest ?? null,
        repositoryId: f.repository ?? null,
        paths: paths === undefined || paths.length === 0 ? null : JSON.stringify(paths),
        createdAt: f.createdAt,
      });
    }),
  );
}

/** Reads stored feedback by id inside the transaction. */
export async function readFeedback(tx: Pick<Transaction, 'execute'>, workspace: string, id: string): Promise<Feedback | undefined> {
  const { rows } = await tx.execute({
    sql: `SELECT ${aiFeedbackSpec.select()} FROM ai_feedback WHERE workspace = ? AND id = ?`,
    args: [workspace, id],
  });
  const row = aiFeedbackSpec.rows.first(rows);
  return row ? feedbackFromRow(row) : undefined;
}
