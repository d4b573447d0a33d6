import type { LinearApi, LinearCallOptions } from '../client/linear-api.js';
import type { LinearConnection, LinearIssue, LinearIssueHistory } from '../client/linear-types.js';
import { HISTORY_BATCH, historyQuery } from '../client/queries.js';

/**
 * The complete histories of the issues whose first page of history had more: the rest is read for up to
 * {@link HISTORY_BATCH} issues per request, 50 entries each, until none has more.
 */
export async function completeHistories(
  api: LinearApi,
  issues: readonly LinearIssue[],
  call: LinearCallOptions,
  onPage: () => void,
): Promise<Map<string, LinearIssueHistory[]>> {
  const complete = new Map<string, LinearIssueHistory[]>();
  let open = issues
    .filter((i) => i.history.pageInfo.hasNextPage)
    .map((i) => {
      complete.set(i.id, [...i.history.nodes]);
      return { id: i.id, after: i.history.pageInfo.endCursor };
    });
  while (open.length > 0) {
    const batch = open.slice(0, HISTORY_BATCH);
    const variables = Object.fromEntries(batch.flatMap((entry, n) => [[`id${n}`, entry.id] as const, [`after${n}`, entry.after] as const]));
    const answer = await api.request<Record<string, { id: string; history: LinearConnection<LinearIssueHistory> } | null>>(
      historyQuery(batch.length),
      variables,
      call,
    );
    onPage();
    const more: { id: string; after: string | null }[] = [];
    batch.forEach((entry, n) => {
      const issue = answer[`i${n}`];
      if (!issue) return;
      complete.get(entry.id)!.push(...issue.history.nodes);
      if (issue.history.pageInfo.hasNextPage) more.push({ id: entry.id, after: issue.history.pageInfo.endCursor });
    });
    open = [...more, ...open.slice(HISTORY_BATCH)];
  }
  return complete;
}
