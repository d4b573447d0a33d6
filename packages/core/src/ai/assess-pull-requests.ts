import type { Transaction } from '@libsql/client';
import type { AiAssessment } from '../model/ai.js';
import type { WorkItem } from '../model/work-item.js';
import type { AiDetector } from './detect-ai.js';
import { mergeAi } from './merge-ai.js';

/**
 * Settles `ai` on the pull requests of a validated chunk before it is written (see `merge-ai.ts`): detection over
 * each record's labels and body, merged with the `ai` it gives or, when it gives none, with the stored one. Other
 * work items pass through unchanged.
 */
export async function assessPullRequests(
  tx: Transaction,
  workspace: string,
  items: readonly WorkItem[],
  detector: AiDetector,
): Promise<WorkItem[]> {
  const pullRequests = items.filter((item) => item.kind === 'pull_request').map((item) => item.id);
  const stored = new Map<string, AiAssessment>();
  // One statement per chunk (at most 1,000 ids): what is kept from the store (evidence of earlier writes, survey answers).
  if (pullRequests.length > 0) {
    const { rows } = await tx.execute({
      sql: `SELECT id, ai FROM work_items WHERE workspace = ? AND ai IS NOT NULL AND id IN (SELECT value FROM json_each(?))`,
      args: [workspace, JSON.stringify(pullRequests)],
    });
    for (const row of rows) stored.set(String(row.id), JSON.parse(String(row.ai)) as AiAssessment);
  }
  return items.map((item) => {
    if (item.kind !== 'pull_request') return item;
    const detected = detector.detect({ labels: item.labels, body: item.body });
    return { ...item, ai: mergeAi(detector, { given: item.ai, stored: stored.get(item.id), detected }) };
  });
}
