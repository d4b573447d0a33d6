import type { AiAssessment } from '../../kernel/model/ai.js';
import type { WorkItem } from '../../kernel/model/work-item.js';
import type { Transaction } from '../../kernel/store/driver.js';
import { columns, nullable, text } from '../../kernel/store/row-decoder.js';
import type { AiDetector } from './detect-ai.js';
import { mergeAi } from './merge-ai.js';

/** What the store holds of a pull request: its `ai` assessment and `paths` (JSON). */
const storedPullRequest = columns({ id: text, ai: nullable(text), paths: nullable(text) });

/**
 * Settles what a pull request keeps from the store before a validated chunk is written: `ai` (see `merge-ai.ts`:
 * detection over each record's labels and body, merged with the `ai` it gives or, when it gives none, with the stored
 * one) and `paths` (the stored ones when the record gives none, e.g. a webhook payload). Other work items pass through
 * unchanged.
 */
export async function assessPullRequests(
  tx: Transaction,
  workspace: string,
  items: readonly WorkItem[],
  detector: AiDetector,
): Promise<WorkItem[]> {
  const pullRequests = items.filter((item) => item.kind === 'pull_request').map((item) => item.id);
  const stored = new Map<string, AiAssessment>();
  const storedPaths = new Map<string, string[]>();
  // One statement per chunk (at most 1,000 ids): what is kept from the store (evidence of earlier writes, survey answers).
  if (pullRequests.length > 0) {
    const { rows } = await tx.execute({
      sql: `SELECT id, ai, paths FROM work_items WHERE workspace = ? AND (ai IS NOT NULL OR paths IS NOT NULL) AND id IN (SELECT value FROM json_each(?))`,
      args: [workspace, JSON.stringify(pullRequests)],
    });
    for (const row of storedPullRequest.all(rows)) {
      if (row.ai !== null) stored.set(row.id, JSON.parse(row.ai) as AiAssessment);
      if (row.paths !== null) storedPaths.set(row.id, JSON.parse(row.paths) as string[]);
    }
  }
  return items.map((item) => {
    if (item.kind !== 'pull_request') return item;
    const detected = detector.detect({ labels: item.labels, body: item.body });
    const paths = item.paths ?? storedPaths.get(item.id);
    return { ...item, ...(paths ? { paths } : {}), ai: mergeAi(detector, { given: item.ai, stored: stored.get(item.id), detected }) };
  });
}
