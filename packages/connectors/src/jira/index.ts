import type { Connector } from '@teamstate/core';
import { issueAssignAction } from './actions/issue-assign-action.js';
import { issueCommentAction } from './actions/issue-comment-action.js';
import { issueCreateAction } from './actions/issue-create-action.js';
import { issueTransitionAction } from './actions/issue-transition-action.js';
import { jiraWebhookInstall, webhookAction } from './actions/webhook-action.js';
import { createJiraTransport, timerSleep } from './client/jira-transport.js';
import { type JiraOptions, resolveJiraOptions } from './options.js';
import { syncJira } from './sync/sync-jira.js';
import { createJiraWebhooks } from './webhooks/jira-webhooks.js';

// The base class of this connector's request error and its constructor's details, named so the declarations can say so.
export type { RequestErrorDetails, UpstreamRequestError } from '../upstream/upstream-request-error.js';
export { idempotencyLabel } from './actions/issue-create-action.js';
export { JiraRequestError, type RedactedRequest } from './client/jira-request-error.js';
export type { JiraOptions, JiraSleep } from './options.js';
export { issuesCursor } from './sync/sync-jira.js';

/**
 * The Jira connector (Cloud, or Data Center with `deployment: 'datacenter'`): syncs the projects' issues
 * with their complete status history, story points, sprints (with committed scope), epics and users;
 * offers the actions `jira.issue.comment`, `jira.issue.transition`, `jira.issue.assign` and
 * `jira.issue.create`; and, with a `webhookSecret`, receives `POST /webhooks/jira`. jira.js is loaded on
 * first use, so configuring the connector costs nothing until it runs. See docs/connectors/jira.md.
 *
 * @example
 * const ts = await createTeamState({
 *   connectors: [jira({ host: 'https://acme.atlassian.net', email, apiToken, projects: ['PAY'], teamOfProject: { PAY: 'payments' } })],
 * })
 * await ts.sync({ only: ['jira'] })
 */
export function jira(options: JiraOptions): Connector {
  const resolved = resolveJiraOptions(options);
  const transport = createJiraTransport(resolved);
  const api = () => transport.api(timerSleep);
  const { webhookSecret } = resolved;
  return {
    specificationVersion: 'v1',
    id: resolved.id,
    providers: ['jira'],
    description: `Jira ${resolved.deployment === 'cloud' ? 'Cloud' : 'Data Center'} at ${new URL(resolved.siteUrl).host}: projects ${resolved.projects.join(', ')}`,
    sync: (ctx) => syncJira(ctx, resolved, transport),
    actions: [
      issueCommentAction(api),
      issueTransitionAction(api),
      issueAssignAction(api),
      issueCreateAction(api, resolved.siteUrl),
      webhookAction(api, webhookSecret),
    ],
    webhookInstall: jiraWebhookInstall(resolved.projects, api),
    ...(webhookSecret ? { webhooks: createJiraWebhooks({ ...resolved, webhookSecret }, transport) } : {}),
  };
}
