// The shapes of the GraphQL answers the connector reads (the fields its queries select).

/** `pageInfo` of a connection. */
export interface PageInfo {
  hasNextPage: boolean;
  endCursor: string | null;
}

/** A connection page. */
export interface Connection<T> {
  nodes: (T | null)[] | null;
  pageInfo: PageInfo;
}

/** An `Actor` (user, bot, mannequin, organisation). */
export interface ActorNode {
  __typename?: string;
  login: string;
  databaseId?: number | null;
  name?: string | null;
  email?: string | null;
}

/** A pull request review. */
export interface ReviewNode {
  state: 'PENDING' | 'COMMENTED' | 'APPROVED' | 'CHANGES_REQUESTED' | 'DISMISSED';
  submittedAt: string | null;
  author: ActorNode | null;
}

/** A git identity (`GitActor`): name and email as written in the commit, and the GitHub user they belong to. */
export interface GitActorNode {
  name: string | null;
  email: string | null;
  user: { login: string } | null;
}

/** A commit of a pull request. */
export interface PullRequestCommitNode {
  commit: { authoredDate: string; message?: string; author?: GitActorNode | null; committer?: GitActorNode | null };
}

/** The status of a check suite or run. */
export type CheckStatusState = 'REQUESTED' | 'QUEUED' | 'IN_PROGRESS' | 'COMPLETED' | 'WAITING' | 'PENDING';
/** How a check suite or run concluded. */
export type CheckConclusionState =
  | 'ACTION_REQUIRED'
  | 'TIMED_OUT'
  | 'CANCELLED'
  | 'FAILURE'
  | 'SUCCESS'
  | 'NEUTRAL'
  | 'SKIPPED'
  | 'STARTUP_FAILURE'
  | 'STALE';

/** A check run (a job) of a check suite. */
export interface CheckRunNode {
  /** The node id (GitHub's check run database ids outgrow GraphQL's 32-bit `Int`). */
  id: string;
  name: string;
  status: CheckStatusState;
  conclusion: CheckConclusionState | null;
  startedAt: string | null;
  completedAt: string | null;
}

/** A check suite on a commit: one CI app's run (a GitHub Actions workflow run, one per attempt). */
export interface CheckSuiteNode {
  id: string;
  status: CheckStatusState;
  conclusion: CheckConclusionState | null;
  createdAt: string;
  updatedAt: string;
  app: { name: string } | null;
  workflowRun: { id: string; runNumber: number; workflow: { name: string } } | null;
  checkRuns: { nodes: (CheckRunNode | null)[] | null } | null;
}

/** A pull request as `PULL_REQUEST_FIELDS` selects it. */
export interface PullRequestNode {
  id: string;
  number: number;
  title: string;
  body: string;
  url: string;
  state: 'OPEN' | 'CLOSED' | 'MERGED';
  isDraft: boolean;
  createdAt: string;
  updatedAt: string;
  mergedAt: string | null;
  closedAt: string | null;
  additions: number;
  deletions: number;
  headRefOid: string;
  author: ActorNode | null;
  labels: Connection<{ name: string }> | null;
  /** The first changed files (`files(first: …)`); null when GitHub does not list them. */
  files?: { nodes: ({ path: string } | null)[] | null } | null;
  assignees: Connection<ActorNode>;
  reviews: Connection<ReviewNode> | null;
  /** The first requested reviewers: a user (an `ActorNode`), or a team (`__typename` `Team`, no login). */
  reviewRequests?: { nodes: ({ requestedReviewer: (Partial<ActorNode> & { __typename?: string }) | null } | null)[] | null } | null;
  commits: { nodes: (PullRequestCommitNode | null)[] | null };
  /** The last few commits (`commits(last: …)`). */
  lastCommits?: { nodes: (PullRequestCommitNode | null)[] | null } | null;
  timelineItems: { nodes: ({ createdAt?: string } | null)[] | null };
  /** The head commit with its check suites (`commits(last: 1)`). */
  headCommit?: {
    nodes: ({ commit: { oid: string; checkSuites: { nodes: (CheckSuiteNode | null)[] | null } | null } } | null)[] | null;
  } | null;
}

/** The deployment status states. */
export type DeploymentStatusState = 'PENDING' | 'SUCCESS' | 'FAILURE' | 'INACTIVE' | 'ERROR' | 'QUEUED' | 'IN_PROGRESS' | 'WAITING';

/** A deployment as `DEPLOYMENT_FIELDS` selects it. */
export interface DeploymentNode {
  id: string;
  databaseId: number | null;
  environment: string | null;
  createdAt: string;
  updatedAt: string;
  commitOid: string;
  state: string | null;
  latestStatus: { state: DeploymentStatusState; createdAt: string } | null;
  statuses: { nodes: ({ state: DeploymentStatusState; createdAt: string } | null)[] | null } | null;
}

/** A release. */
export interface ReleaseNode {
  id: string;
  databaseId: number | null;
  tagName: string;
  createdAt: string;
  publishedAt: string | null;
  isDraft: boolean;
  isPrerelease: boolean;
  tagCommit: { oid: string } | null;
}

/** An issue labelled as an incident. */
export interface IncidentIssueNode {
  number: number;
  title: string;
  url: string;
  createdAt: string;
  updatedAt: string;
  closedAt: string | null;
  labels: { nodes: ({ name: string } | null)[] | null } | null;
}

/** A repository as the probe sees it. */
export interface RepositoryProbeNode {
  nameWithOwner: string;
  isArchived: boolean;
  pullRequests: { nodes: ({ updatedAt: string } | null)[] | null };
  issues: { nodes: ({ updatedAt: string } | null)[] | null };
  deployments?: { nodes: ({ id: string; createdAt: string } | null)[] | null };
  releases?: { nodes: ({ id: string; createdAt: string } | null)[] | null };
}

/** A deployment still running (or a release that was a draft) at the last sync, as the probe sees it now. */
export type PendingNode =
  | { __typename: 'Deployment'; id: string; latestStatus: { state: DeploymentStatusState; createdAt: string } | null }
  | { __typename: 'Release'; id: string; isDraft: boolean };

/** Non-null nodes of a connection. */
export function nodesOf<T>(connection: { nodes: (T | null)[] | null } | null | undefined): T[] {
  return (connection?.nodes ?? []).filter((node): node is T => node !== null);
}
