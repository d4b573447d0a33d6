// The GraphQL documents the connector sends, written so each request's complexity stays bounded. Linear prices a
// query at 0.1 point per field and 1 per object, and multiplies what a connection holds by its `first`; one query may
// cost at most 10,000 points. Counted that way (with `pageInfo` multiplied too, to stay on the safe side), an issue
// below costs about 25 points plus 5.1 per history entry: 100 with 15 entries, so a page of 60 issues is about
// 6,100 points, 90 about 9,100, and the teams and a page of cycles beside them add about 370.

/** How many history entries come with each issue; issues with more are completed by {@link HISTORY_QUERY}. */
export const HISTORY_PAGE = 15;
/** Cycles per page (about 2.4 points each). */
export const CYCLE_PAGE = 100;
/** Issues whose remaining history is read in one request (each up to 50 entries, about 200 points). */
export const HISTORY_BATCH = 20;

/**
 * Relations that come with each issue (about 2.2 points each, 5 an issue with the connection): the first two it names,
 * which keeps a page of 90 issues under the limit (its page info would not fit). An issue that names two may have
 * more: its relations are read again, all of them, by {@link relationsQuery}.
 */
export const RELATIONS_PAGE = 2;
/** Issues whose remaining relations are read in one request (each up to 50 relations, about 115 points). */
export const RELATIONS_BATCH = 20;

const STATE = 'id name type';
const USER = 'id name displayName email active';

const HISTORY_FIELDS = `createdAt fromState { ${STATE} } toState { ${STATE} } fromCycleId toCycleId`;

/** The fields of an issue without its relations (`$history` entries of its history first). */
const ISSUE_FIELDS_ALONE = `id identifier title description url createdAt updatedAt startedAt completedAt canceledAt dueDate estimate
  team { id key name } state { ${STATE} } assignee { ${USER} } creator { ${USER} } cycle { id } project { id name }
  parent { identifier } labels(first: 10) { nodes { name } }
  history(first: ${HISTORY_PAGE}) { nodes { ${HISTORY_FIELDS} } pageInfo { hasNextPage endCursor } }`;

/** The fields of an issue with its first relations (the sync's pages and single issues). */
export const ISSUE_FIELDS = `${ISSUE_FIELDS_ALONE}
  relations(first: ${RELATIONS_PAGE}) { nodes { type relatedIssue { id } } }`;

const CYCLE_FIELDS = 'id number name startsAt endsAt completedAt updatedAt team { id key }';

/**
 * One page of a sync: the teams (first request only), a page of cycles changed since the cursor or not yet completed,
 * and a page of issues updated since the cursor, oldest update first. Either connection may be left out.
 */
export function syncPageQuery(parts: { teams: boolean; cycles: boolean; issues: boolean }): string {
  const vars = [
    ...(parts.teams ? ['$teamFilter: TeamFilter'] : []),
    ...(parts.cycles ? ['$cycleFilter: CycleFilter', '$cycleAfter: String'] : []),
    ...(parts.issues ? ['$issueFilter: IssueFilter', '$issueAfter: String', '$first: Int!'] : []),
  ];
  return `query TeamstateSync(${vars.join(', ')}) {
  ${parts.teams ? 'teams(first: 100, filter: $teamFilter) { nodes { id key name } }' : ''}
  ${parts.cycles ? `cycles(first: ${CYCLE_PAGE}, after: $cycleAfter, filter: $cycleFilter) { nodes { ${CYCLE_FIELDS} } pageInfo { hasNextPage endCursor } }` : ''}
  ${parts.issues ? `issues(first: $first, after: $issueAfter, filter: $issueFilter, orderBy: updatedAt) { nodes { ${ISSUE_FIELDS} } pageInfo { hasNextPage endCursor } }` : ''}
}`;
}

/** The rest of several issues' histories, by alias `i0`, `i1` … (the variables `$id0`, `$after0` …). */
export function historyQuery(count: number): string {
  const vars = Array.from({ length: count }, (_, n) => `$id${n}: String!, $after${n}: String`).join(', ');
  const fields = Array.from(
    { length: count },
    (_, n) =>
      `i${n}: issue(id: $id${n}) { id history(first: 50, after: $after${n}) { nodes { ${HISTORY_FIELDS} } pageInfo { hasNextPage endCursor } } }`,
  ).join('\n  ');
  return `query TeamstateHistory(${vars}) {\n  ${fields}\n}`;
}

/** The rest of several issues' relations, by alias `i0`, `i1` … (the variables `$id0`, `$after0` …). */
export function relationsQuery(count: number): string {
  const vars = Array.from({ length: count }, (_, n) => `$id${n}: String!, $after${n}: String`).join(', ');
  const fields = Array.from(
    { length: count },
    (_, n) =>
      `i${n}: issue(id: $id${n}) { id relations(first: 50, after: $after${n}) { nodes { type relatedIssue { id } } pageInfo { hasNextPage endCursor } } }`,
  ).join('\n  ');
  return `query TeamstateRelations(${vars}) {\n  ${fields}\n}`;
}

/** One issue (by id or identifier), as a sync reads it. */
export const ISSUE_QUERY = `query TeamstateIssue($id: String!) { issue(id: $id) { ${ISSUE_FIELDS} } }`;

/** One cycle. */
export const CYCLE_QUERY = `query TeamstateCycle($id: String!) { cycle(id: $id) { ${CYCLE_FIELDS} } }`;

/** The issues in a cycle now (a cycle that started since the last run), without relations: a page of 100 stays in the limit. */
export const CYCLE_ISSUES_QUERY = `query TeamstateCycleIssues($id: String!, $after: String) {
  cycle(id: $id) { issues(first: 100, after: $after) { nodes { ${ISSUE_FIELDS_ALONE} } pageInfo { hasNextPage endCursor } } }
}`;
