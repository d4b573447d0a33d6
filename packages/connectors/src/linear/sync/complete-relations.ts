import type { LinearApi, LinearCallOptions } from '../client/linear-api.js';
import type { LinearIssue, LinearRelation } from '../client/linear-types.js';
import { RELATIONS_BATCH, RELATIONS_PAGE, relationsQuery } from '../client/queries.js';
import { completeConnections, type OpenConnection } from './complete-connections.js';

/**
 * The complete relations of the issues whose first relations filled their page (they may have more): all of them are
 * read again for up to {@link RELATIONS_BATCH} issues per request, 50 relations each, until none has more. Issues with
 * fewer cost nothing.
 */
export function completeRelations(
  api: LinearApi,
  issues: readonly LinearIssue[],
  call: LinearCallOptions,
  onPage: () => void,
): Promise<Map<string, LinearRelation[]>> {
  const full = issues.filter((i) => (i.relations?.nodes.length ?? 0) >= RELATIONS_PAGE).map((i) => i.id);
  return readRelations(api, full, call, onPage);
}

/**
 * All the relations of the issues `ids` (those each issue is the `issue` of), read from their first page with the
 * query that completes a sync's relations: one request per {@link RELATIONS_BATCH} issues and 50 relations. An issue
 * Linear no longer has fails the request (`isNotFound`).
 */
export async function readRelations(
  api: LinearApi,
  ids: readonly string[],
  call: LinearCallOptions,
  onPage: () => void,
): Promise<Map<string, LinearRelation[]>> {
  const open = ids.map((id): OpenConnection<LinearRelation> => ({ id, after: null, list: [] }));
  await completeConnections(api, { query: relationsQuery, field: 'relations', batch: RELATIONS_BATCH }, open, call, onPage);
  return new Map(open.map((entry) => [entry.id, entry.list]));
}
