import type { LinearApi, LinearCallOptions } from '../client/linear-api.js';
import type { LinearIssue, LinearIssueHistory } from '../client/linear-types.js';
import { HISTORY_BATCH, historyQuery } from '../client/queries.js';
import { completeConnections, type OpenConnection } from './complete-connections.js';

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
  const open = issues
    .filter((i) => i.history.pageInfo.hasNextPage)
    .map((i): OpenConnection<LinearIssueHistory> => {
      const list = [...i.history.nodes];
      complete.set(i.id, list);
      return { id: i.id, after: i.history.pageInfo.endCursor, list };
    });
  await completeConnections(api, { query: historyQuery, field: 'history', batch: HISTORY_BATCH }, open, call, onPage);
  return complete;
}
