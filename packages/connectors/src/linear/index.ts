import type { Connector } from '@teamstate/core';
import { commentIdOf, issueAssignAction, issueCommentAction, issueTransitionAction } from './actions/issue-actions.js';
import { createLinearApi } from './client/linear-api.js';
import { type LinearOptions, resolveLinearOptions } from './options.js';
import { syncLinear } from './sync/sync-linear.js';
import { createLinearWebhooks } from './webhooks/linear-webhooks.js';

// The base class of this connector's request error and its constructor's details, named so the declarations can say so.
export type { RequestErrorDetails, UpstreamRequestError } from '../upstream/upstream-request-error.js';
export { LinearRequestError } from './client/linear-api.js';
export type {
  LinearComment,
  LinearConnection,
  LinearCycle,
  LinearIssue,
  LinearIssueHistory,
  LinearPageInfo,
  LinearStateType,
  LinearTeam,
  LinearUser,
  LinearWorkflowState,
} from './client/linear-types.js';
export { categoryOf, cycleRecordId, linearTeamId, workItemId } from './map/map-issue.js';
export type { LinearOptions, LinearSleep } from './options.js';
export { cyclesCursor, issuesCursor } from './sync/sync-linear.js';
export { verifyLinearSignature, WEBHOOK_TOLERANCE_MS } from './webhooks/linear-webhooks.js';
export { commentIdOf };

/**
 * The Linear connector (GraphQL API): syncs the teams' issues with their state history, estimates as story points,
 * cycles as sprints (with committed scope), projects, labels, and assignees and creators as people (linked by email);
 * offers the actions `linear.issue.comment`, `linear.issue.transition` and `linear.issue.assign`; and, with a
 * `webhookSecret`, receives `POST /webhooks/linear`.
 * See docs/connectors/linear.md.
 *
 * @example
 * const ts = await createTeamState({ connectors: [linear({ apiKey: process.env.LINEAR_API_KEY!, teams: ['PAY'], teamOfLinearTeam: { PAY: 'payments' } })] })
 * await ts.sync({ only: ['linear'] })
 */
export function linear(options: LinearOptions): Connector {
  const resolved = resolveLinearOptions(options);
  const api = createLinearApi(resolved);
  const { webhookSecret } = resolved;
  return {
    specificationVersion: 'v1',
    id: resolved.id,
    providers: ['linear'],
    description: `Linear: ${resolved.teams.length > 0 ? `teams ${resolved.teams.join(', ')}` : 'every team'}`,
    sync: (ctx) => syncLinear(ctx, resolved, api),
    actions: [issueCommentAction(api), issueTransitionAction(api), issueAssignAction(api)],
    ...(webhookSecret ? { webhooks: createLinearWebhooks({ ...resolved, webhookSecret }, api) } : {}),
  };
}
