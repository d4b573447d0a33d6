// The GraphQL documents of the GitHub connector. Every query asks for `rateLimit` (free) so the client
// can track the points budget. A unit test validates each document against GitHub's published schema.

/** Nested connection sizes of a pull request page; a PR with more is completed by follow-up queries. */
export const NESTED = { labels: 20, assignees: 10, reviews: 25 } as const;

/**
 * Commits read with each pull request for AI detection (messages with their trailers, authors and committers): the
 * first `first` (the first one also gives `firstCommitAt`) and the last `last`. Not followed further: agents sign
 * every commit they make, so a PR with more commits still shows them.
 */
export const PULL_REQUEST_COMMITS = { first: 25, last: 5 } as const;

/**
 * Requested reviewers read with each pull request (people asked to review who have not yet; teams are left out), for
 * working agreements' `notify: reviewers`. Not followed further: no extra request.
 */
export const PULL_REQUEST_REVIEW_REQUESTS = 10;

/** Changed files read with each pull request (their paths, for `who_knows`); not followed further. */
export const PULL_REQUEST_FILES = 100;

/**
 * CI read with each pull request: the check suites on its head commit (GitHub Actions workflow runs and other CI apps)
 * and each suite's check runs (jobs, reruns included). Not followed further: a head commit rarely has more.
 */
export const PULL_REQUEST_CHECKS = { suites: 6, runs: 30 } as const;

/** The page size of follow-up queries for overflowing nested connections. */
export const FOLLOW_UP_PAGE = 100;

const RATE_LIMIT = 'rateLimit { cost remaining resetAt }';

/** A user, bot or mannequin, enough to resolve a person. */
export const ACTOR_FIELDS = `__typename login ... on User { databaseId name email } ... on Bot { databaseId } ... on Mannequin { databaseId }`;
const USER_FIELDS = '__typename login databaseId name email';
const REVIEW_FIELDS = `state submittedAt author { ${ACTOR_FIELDS} }`;
const PAGE_INFO = 'pageInfo { hasNextPage endCursor }';
// A commit as AI detection reads it: `author`/`committer` are git identities (emails included), `user` their account.
const COMMIT_FIELDS = 'commit { authoredDate message author { name email user { login } } committer { name email user { login } } }';

// The head commit's CI: each suite's app and workflow (a GitHub Actions run), and its check runs (jobs).
const CHECK_SUITE_FIELDS = `checkSuites(first: ${PULL_REQUEST_CHECKS.suites}) { nodes { id status conclusion createdAt updatedAt
    app { name } workflowRun { id runNumber workflow { name } }
    checkRuns(first: ${PULL_REQUEST_CHECKS.runs}) { nodes { id name status conclusion startedAt completedAt } } } }`;

/** Everything the connector maps from a pull request, with the first page of each nested connection. */
export const PULL_REQUEST_FIELDS = `id number title body url state isDraft createdAt updatedAt mergedAt closedAt additions deletions headRefOid
  author { ${ACTOR_FIELDS} }
  labels(first: ${NESTED.labels}) { nodes { name } ${PAGE_INFO} }
  files(first: ${PULL_REQUEST_FILES}) { nodes { path } }
  assignees(first: ${NESTED.assignees}) { nodes { ${USER_FIELDS} } ${PAGE_INFO} }
  reviews(first: ${NESTED.reviews}) { nodes { ${REVIEW_FIELDS} } ${PAGE_INFO} }
  reviewRequests(first: ${PULL_REQUEST_REVIEW_REQUESTS}) { nodes { requestedReviewer { __typename ... on User { ${USER_FIELDS} } } } }
  commits(first: ${PULL_REQUEST_COMMITS.first}) { nodes { ${COMMIT_FIELDS} } }
  lastCommits: commits(last: ${PULL_REQUEST_COMMITS.last}) { nodes { ${COMMIT_FIELDS} } }
  timelineItems(first: 1, itemTypes: [READY_FOR_REVIEW_EVENT]) { nodes { ... on ReadyForReviewEvent { createdAt } } }
  headCommit: commits(last: 1) { nodes { commit { oid ${CHECK_SUITE_FIELDS} } } }`;

/** One page of a repository's pull requests, most recently updated first. */
export const PULL_REQUESTS_QUERY = `query TeamstatePullRequests($owner: String!, $name: String!, $first: Int!, $after: String) {
  ${RATE_LIMIT}
  repository(owner: $owner, name: $name) {
    pullRequests(first: $first, after: $after, orderBy: { field: UPDATED_AT, direction: DESC }) {
      ${PAGE_INFO}
      nodes { ${PULL_REQUEST_FIELDS} }
    }
  }
}`;

/** One pull request by number (webhooks). */
export const PULL_REQUEST_QUERY = `query TeamstatePullRequest($owner: String!, $name: String!, $number: Int!) {
  ${RATE_LIMIT}
  repository(owner: $owner, name: $name) { pullRequest(number: $number) { ${PULL_REQUEST_FIELDS} } }
}`;

/** The nested connections a follow-up query can continue. */
export type NestedConnection = keyof typeof NESTED;

const CONNECTION_NODES: Record<NestedConnection, string> = {
  labels: 'name',
  assignees: USER_FIELDS,
  reviews: REVIEW_FIELDS,
};

/**
 * One aliased query continuing many overflowing connections at once: `c0` is the `connection` of the
 * pull request with node id `$id0`, after `$after0`, and so on.
 */
export function connectionsQuery(parts: readonly { connection: NestedConnection }[]): string {
  const variables = parts.map((_, i) => `$id${i}: ID!, $after${i}: String`).join(', ');
  const fields = parts
    .map(
      ({ connection }, i) =>
        `c${i}: node(id: $id${i}) { ... on PullRequest { ${connection}(first: ${FOLLOW_UP_PAGE}, after: $after${i}) { nodes { ${CONNECTION_NODES[connection]} } ${PAGE_INFO} } } }`,
    )
    .join('\n  ');
  return `query TeamstatePullRequestConnections(${variables}) {\n  ${RATE_LIMIT}\n  ${fields}\n}`;
}

/** What the probe asks of each repository, by deployment source. */
function probeFields(source: 'deployments' | 'workflow_runs' | 'releases'): string {
  const latest = (connection: string) => `${connection} { nodes { id createdAt } }`;
  return `nameWithOwner isArchived
    pullRequests(first: 1, orderBy: { field: UPDATED_AT, direction: DESC }) { nodes { updatedAt } }
    issues(first: 1, labels: $labels, orderBy: { field: UPDATED_AT, direction: DESC }) { nodes { updatedAt } }
    ${source === 'deployments' ? latest('deployments(first: 1, environments: $environments, orderBy: { field: CREATED_AT, direction: DESC })') : ''}
    ${source === 'releases' ? latest('releases(first: 1, orderBy: { field: CREATED_AT, direction: DESC })') : ''}`;
}

const PENDING_FIELDS =
  'pending: nodes(ids: $pending) { __typename ... on Deployment { id latestStatus { state createdAt } } ... on Release { id isDraft } }';

/**
 * The change probe: for each listed repository (aliases `r0`, `r1`, …) the latest update of its pull
 * requests, incident issues and deployments (or releases), plus the current state of deployments
 * that were still running (or releases that were drafts) at the last sync. One request tells which repositories need syncing.
 */
export function probeQuery(count: number, source: 'deployments' | 'workflow_runs' | 'releases', withPending: boolean): string {
  const variables = [
    ...Array.from({ length: count }, (_, i) => `$o${i}: String!, $n${i}: String!`),
    '$labels: [String!]',
    ...(source === 'deployments' ? ['$environments: [String!]'] : []),
    ...(withPending ? ['$pending: [ID!]!'] : []),
  ].join(', ');
  const repositories = Array.from(
    { length: count },
    (_, i) => `r${i}: repository(owner: $o${i}, name: $n${i}) { ${probeFields(source)} }`,
  ).join('\n  ');
  return `query TeamstateProbe(${variables}) {\n  ${RATE_LIMIT}\n  ${repositories}\n  ${withPending ? PENDING_FIELDS : ''}\n}`;
}

/** The organisation's repositories, a page at a time, each with the probe's fields. */
export function organizationProbeQuery(
  source: 'deployments' | 'workflow_runs' | 'releases',
  includeArchived: boolean,
  withPending: boolean,
): string {
  const variables = [
    '$org: String!',
    '$first: Int!',
    '$after: String',
    '$labels: [String!]',
    ...(source === 'deployments' ? ['$environments: [String!]'] : []),
    ...(withPending ? ['$pending: [ID!]!'] : []),
  ].join(', ');
  return `query TeamstateOrganizationProbe(${variables}) {
  ${RATE_LIMIT}
  organization(login: $org) {
    repositories(first: $first, after: $after, ${includeArchived ? '' : 'isArchived: false, '}orderBy: { field: NAME, direction: ASC }) {
      ${PAGE_INFO}
      nodes { ${probeFields(source)} }
    }
  }
  ${withPending ? PENDING_FIELDS : ''}
}`;
}

/** Everything the connector maps from a deployment. */
export const DEPLOYMENT_FIELDS = `id databaseId environment createdAt updatedAt commitOid state
  latestStatus { state createdAt }
  statuses(first: 10) { nodes { state createdAt } }`;

/** A page of deployments, newest first. */
export const DEPLOYMENTS_QUERY = `query TeamstateDeployments($owner: String!, $name: String!, $first: Int!, $after: String, $environments: [String!]) {
  ${RATE_LIMIT}
  repository(owner: $owner, name: $name) {
    deployments(first: $first, after: $after, environments: $environments, orderBy: { field: CREATED_AT, direction: DESC }) {
      ${PAGE_INFO}
      nodes { ${DEPLOYMENT_FIELDS} }
    }
  }
}`;

/** Deployments by node id (those still running at the last sync). */
export const DEPLOYMENT_NODES_QUERY = `query TeamstateDeploymentNodes($ids: [ID!]!) {
  ${RATE_LIMIT}
  nodes(ids: $ids) { ... on Deployment { ${DEPLOYMENT_FIELDS} } }
}`;

/** One deployment (webhooks) and the latest deployments of its environment (to find the previous one). */
export const DEPLOYMENT_WITH_NEIGHBOURS_QUERY = `query TeamstateDeploymentWithNeighbours($owner: String!, $name: String!, $id: ID!, $environments: [String!]) {
  ${RATE_LIMIT}
  deployment: node(id: $id) { ... on Deployment { ${DEPLOYMENT_FIELDS} } }
  repository(owner: $owner, name: $name) {
    deployments(first: 20, environments: $environments, orderBy: { field: CREATED_AT, direction: DESC }) { nodes { ${DEPLOYMENT_FIELDS} } }
  }
}`;

const RELEASE_FIELDS = 'id databaseId tagName createdAt publishedAt isDraft isPrerelease tagCommit { oid }';

/** A page of releases, newest first. */
export const RELEASES_QUERY = `query TeamstateReleases($owner: String!, $name: String!, $first: Int!, $after: String) {
  ${RATE_LIMIT}
  repository(owner: $owner, name: $name) {
    releases(first: $first, after: $after, orderBy: { field: CREATED_AT, direction: DESC }) {
      ${PAGE_INFO}
      nodes { ${RELEASE_FIELDS} }
    }
  }
}`;

/** Releases by node id (drafts at the last sync). */
export const RELEASE_NODES_QUERY = `query TeamstateReleaseNodes($ids: [ID!]!) {
  ${RATE_LIMIT}
  nodes(ids: $ids) { ... on Release { ${RELEASE_FIELDS} } }
}`;

/** Commits in a range start: `history` pages of several commits at once (aliases `c0`, `c1`, …). */
export function commitHistoryQuery(count: number, first: number): string {
  const variables = [
    '$owner: String!',
    '$name: String!',
    ...Array.from({ length: count }, (_, i) => `$oid${i}: GitObjectID!, $after${i}: String`),
  ].join(', ');
  const fields = Array.from(
    { length: count },
    (_, i) =>
      `c${i}: object(oid: $oid${i}) { ... on Commit { history(first: ${first}, after: $after${i}) { ${PAGE_INFO} nodes { oid associatedPullRequests(first: 3) { nodes { number state } } } } } }`,
  ).join('\n    ');
  return `query TeamstateCommitHistory(${variables}) {\n  ${RATE_LIMIT}\n  repository(owner: $owner, name: $name) {\n    ${fields}\n  }\n}`;
}

/** Issues with incident labels, updated since a time, oldest update first. */
export const INCIDENTS_QUERY = `query TeamstateIncidents($owner: String!, $name: String!, $labels: [String!], $filterBy: IssueFilters, $after: String) {
  ${RATE_LIMIT}
  repository(owner: $owner, name: $name) {
    issues(first: 100, after: $after, labels: $labels, filterBy: $filterBy, orderBy: { field: UPDATED_AT, direction: ASC }) {
      ${PAGE_INFO}
      nodes { number title url createdAt updatedAt closedAt labels(first: 20) { nodes { name } } }
    }
  }
}`;

/** Organisation members, 100 a page. */
export const MEMBERS_QUERY = `query TeamstateMembers($org: String!, $after: String) {
  ${RATE_LIMIT}
  organization(login: $org) { membersWithRole(first: 100, after: $after) { ${PAGE_INFO} nodes { ${USER_FIELDS} } } }
}`;

/** Organisation teams with their first 100 direct members. */
export const TEAMS_QUERY = `query TeamstateTeams($org: String!, $after: String) {
  ${RATE_LIMIT}
  organization(login: $org) {
    teams(first: 25, after: $after) {
      ${PAGE_INFO}
      nodes { slug name members(first: 100, membership: IMMEDIATE) { ${PAGE_INFO} nodes { ${USER_FIELDS} } } }
    }
  }
}`;

/** The rest of a large team's direct members. */
export const TEAM_MEMBERS_QUERY = `query TeamstateTeamMembers($org: String!, $slug: String!, $after: String) {
  ${RATE_LIMIT}
  organization(login: $org) { team(slug: $slug) { members(first: 100, after: $after, membership: IMMEDIATE) { ${PAGE_INFO} nodes { ${USER_FIELDS} } } } }
}`;
