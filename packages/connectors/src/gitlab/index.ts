import { type Connector, TeamStateError } from '@teamstate/core';
import type { RetryPolicy } from '../upstream/http-retry.js';
import { gitlabActions } from './actions/merge-request-actions.js';
import { createGitLabApi, type GitLabApi } from './client/gitlab-api.js';
import type { GitLabSleep } from './client/gitlab-request.js';
import { type GitLabOptions, resolveGitLabOptions } from './options.js';
import { syncGitLab } from './sync/sync-gitlab.js';
import { gitlabWebhooks } from './webhooks/gitlab-webhooks.js';

// The base class of this connector's request error, named so the declarations can say so.
export type { UpstreamRequestError } from '../upstream/upstream-request-error.js';
export { nextPageUrl } from './client/gitlab-api.js';
export { GitLabRequestError } from './client/gitlab-request.js';
export type * from './client/gitlab-types.js';
export { deploymentId, jobBuildId } from './map/map-builds.js';
export { mergeRequestId } from './map/map-merge-request.js';
export { type GitLabOptions, gitlabConfigSchema } from './options.js';
export { verifyGitLabToken } from './webhooks/gitlab-webhooks.js';

/** The longest wait an action or a webhook accepts (a person or GitLab is waiting for the answer). */
const MAX_INLINE_WAIT_MS = 10_000;

/**
 * GitLab (REST API v4, gitlab.com or a self-managed instance): the groups' projects and members, merge requests with
 * approvals, comments (as reviews), first commit, ready time and changed paths, jobs as builds, deployments with their
 * environments, incrementally by `updated_after`; webhooks with `X-Gitlab-Token`; the actions `gitlab.mr.comment`, `gitlab.mr.label` and
 * `gitlab.mr.merge`.
 *
 * @example
 * gitlab({ token: process.env.GITLAB_TOKEN!, groups: ['acme'], repositoryTeams: { 'acme/checkout': 'shop' } })
 */
export function gitlab(options: GitLabOptions): Connector {
  const resolved = resolveGitLabOptions(options);
  const inline: GitLabSleep = async (ms, reason) => {
    if (ms > MAX_INLINE_WAIT_MS)
      throw new TeamStateError('upstream_error', `${reason}; not waiting ${Math.ceil(ms / 1000)} s here: try again later`);
    if (resolved.sleep) await resolved.sleep(ms, reason);
    else await new Promise((resolve) => setTimeout(resolve, ms));
  };
  const apiFor = (ctx: { now(): Date; signal?: AbortSignal }, readPolicy?: RetryPolicy): GitLabApi =>
    createGitLabApi({
      baseUrl: resolved.baseUrl,
      token: resolved.token,
      now: () => ctx.now(),
      sleep: inline,
      ...(ctx.signal ? { signal: ctx.signal } : {}),
      ...(readPolicy ? { readPolicy } : {}),
    });
  const { webhookSecret } = resolved;
  const scope = [...resolved.groups.map((g) => `group ${g}`), ...resolved.projects].join(', ');
  return {
    specificationVersion: 'v1',
    id: resolved.id,
    providers: ['gitlab'],
    description: `GitLab at ${new URL(resolved.baseUrl).host}: ${scope}`,
    async sync(ctx) {
      const sleep: GitLabSleep = async (ms, reason) => {
        if (!resolved.sleep) return ctx.sleep(ms, reason);
        ctx.progress({ waitingMs: ms, message: reason });
        await resolved.sleep(ms, reason);
        ctx.signal.throwIfAborted();
      };
      const api = createGitLabApi({ baseUrl: resolved.baseUrl, token: resolved.token, now: ctx.now, sleep, signal: ctx.signal });
      await syncGitLab(ctx, api, resolved);
    },
    actions: gitlabActions(apiFor, resolved),
    ...(webhookSecret ? { webhooks: gitlabWebhooks({ ...resolved, webhookSecret }, apiFor) } : {}),
  };
}
