// The shapes of the Linear GraphQL API (https://api.linear.app/graphql, schema at
// https://github.com/linear/linear/blob/master/packages/sdk/src/schema.graphql) that teamstate selects: each type has
// only the fields the connector's queries ask for, with the schema's names and nullability.

/** `PageInfo` of a Relay connection. */
export interface LinearPageInfo {
  hasNextPage: boolean;
  endCursor: string | null;
}

/** A Relay connection (`nodes` + `pageInfo`). */
export interface LinearConnection<T> {
  nodes: T[];
  pageInfo: LinearPageInfo;
}

/** `WorkflowState.type`. */
export type LinearStateType = 'triage' | 'backlog' | 'unstarted' | 'started' | 'completed' | 'canceled';

/** `WorkflowState`. */
export interface LinearWorkflowState {
  id: string;
  name: string;
  type: LinearStateType | (string & {});
}

/** `Team`. */
export interface LinearTeam {
  id: string;
  key: string;
  name: string;
}

/** `User` (people and app users alike). */
export interface LinearUser {
  id: string;
  name: string;
  displayName: string;
  email: string | null;
  active: boolean;
}

/** `Cycle` (a team's time-boxed iteration: teamstate's sprint). */
export interface LinearCycle {
  id: string;
  number: number;
  name: string | null;
  startsAt: string;
  endsAt: string;
  completedAt: string | null;
  updatedAt: string;
  team: { id: string; key: string };
}

/** `IssueHistory`: one change of an issue (state, cycle and every other field; the connector reads the first two). */
export interface LinearIssueHistory {
  createdAt: string;
  fromState: LinearWorkflowState | null;
  toState: LinearWorkflowState | null;
  fromCycleId: string | null;
  toCycleId: string | null;
}

/** `Issue`, as the connector selects it. */
export interface LinearIssue {
  id: string;
  identifier: string;
  title: string;
  description: string | null;
  url: string;
  createdAt: string;
  updatedAt: string;
  startedAt: string | null;
  completedAt: string | null;
  canceledAt: string | null;
  dueDate: string | null;
  estimate: number | null;
  team: LinearTeam;
  state: LinearWorkflowState;
  assignee: LinearUser | null;
  creator: LinearUser | null;
  cycle: { id: string } | null;
  project: { id: string; name: string } | null;
  parent: { identifier: string } | null;
  labels: { nodes: { name: string }[] };
  /** The first relations the issue names (`blocks`, `related`, `duplicate`, `similar`); absent in older answers. */
  relations?: { nodes: LinearRelation[] };
  history: LinearConnection<LinearIssueHistory>;
}

/** A relation as an issue names it: `type` from the issue to `relatedIssue`. */
export interface LinearRelation {
  type: string;
  relatedIssue: { id: string };
}

/** An entry of a GraphQL response's `errors`. */
export interface LinearGraphQLError {
  message: string;
  path?: (string | number)[];
  extensions?: { code?: string; type?: string; userPresentableMessage?: string; [key: string]: unknown };
}

/** A GraphQL response. */
export interface LinearResponse<T> {
  data?: T | null;
  errors?: LinearGraphQLError[];
}

/** `Comment` (as created by `commentCreate` and read back). */
export interface LinearComment {
  id: string;
  body: string;
  createdAt: string;
  user: { id: string } | null;
}
