import type { LinearApi, LinearCallOptions } from '../client/linear-api.js';
import type { LinearConnection, LinearIssue, LinearRelation } from '../client/linear-types.js';
import { RELATIONS_BATCH, RELATIONS_PAGE, relationsQuery } from '../client/queries.js';

/**
 * The complete relations of the issues whose first relations filled their page (they may have more): all of them are
 * read again for up to {@link RELATIONS_BATCH} issues per request, 50 relations each, until none has more. Issues with
 * fewer cost nothing.
 */
export async function completeRelations(
  api: LinearApi,
  issues: readonly LinearIssue[],
  call: LinearCallOptions,
  onPage: () => void,
): Promise<Map<string, LinearRelation[]>> {
  const complete = new Map<string, LinearRelation[]>();
  let open = issues.flatMap((i) => {
    if ((i.relations?.nodes.length ?? 0) < RELATIONS_PAGE) return [];
    const list: LinearRelation[] = [];
    complete.set(i.id, list);
    return [{ id: i.id, after: null as string | null, list }];
  });
  while (open.length > 0) {
    const batch = open.slice(0, RELATIONS_BATCH);
    const variables = Object.fromEntries(batch.flatMap((entry, n) => [[`id${n}`, entry.id] as const, [`after${n}`, entry.after] as const]));
    const answer = await api.request<Record<string, { id: string; relations: LinearConnection<LinearRelation> } | null>>(
      relationsQuery(batch.length),
      variables,
      call,
    );
    onPage();
    const more: typeof open = [];
    batch.forEach((entry, n) => {
      const issue = answer[`i${n}`];
      if (!issue) return;
      entry.list.push(...issue.relations.nodes);
      if (issue.relations.pageInfo.hasNextPage) more.push({ ...entry, after: issue.relations.pageInfo.endCursor });
    });
    open = [...more, ...open.slice(RELATIONS_BATCH)];
  }
  return complete;
}
