import type { Connector } from '@teamstate/core';
import { READ_POLICY } from '../upstream/http-retry.js';
import { bitbucketActions } from './actions/pull-request-actions.js';
import { createBitbucketApi } from './client/bitbucket-api.js';
import { type BitbucketOptions, resolveBitbucketOptions } from './options.js';
import { syncBitbucket } from './sync/sync-bitbucket.js';
import { bitbucketWebhooks } from './webhooks/bitbucket-webhooks.js';

// The base class of this connector's request error, named so the declarations can say so.
export type { UpstreamRequestError } from '../upstream/upstream-request-error.js';
export { bitbucketIdempotencyMarker } from './actions/pull-request-actions.js';
export { BitbucketRequestError } from './client/bitbucket-api.js';
export type * from './client/bitbucket-types.js';
export { deploymentId, pipelineBuildId } from './map/map-pipelines.js';
export { pullRequestId } from './map/map-pull-request.js';
export { apiRootOf, type BitbucketOptions, type BitbucketSleep, bitbucketConfigSchema } from './options.js';
export { verifyBitbucketSignature } from './webhooks/bitbucket-webhooks.js';

/**
 * Bitbucket Cloud (REST 2.0): the workspace's repositories, pull requests with their activity (approvals and changes
 * requested as reviews, merge and decline times) and commits, Pipelines as builds, deployments by environment (type
 * Production is production); an unchanged re-sync costs one request per repository; webhooks signed with
 * `X-Hub-Signature`; the actions `bitbucket.pr.comment`, `bitbucket.pr.approve` and `bitbucket.pr.merge`.
 *
 * @example
 * bitbucket({ token: process.env.BITBUCKET_TOKEN!, workspace: 'acme', repositories: ['checkout'] })
 */
export function bitbucket(options: BitbucketOptions): Connector {
  const resolved = resolveBitbucketOptions(options);
  // Actions and webhooks answer someone waiting: no long back-off inside them.
  const inline = () => createBitbucketApi(resolved, { ...READ_POLICY, maxRetries: 1 });
  const { webhookSecret } = resolved;
  return {
    specificationVersion: 'v1',
    id: resolved.id,
    providers: ['bitbucket'],
    description: `Bitbucket at ${new URL(resolved.baseUrl).host}: ${resolved.workspace}${resolved.repositories ? ` (${resolved.repositories.join(', ')})` : ''}`,
    sync: (ctx) => syncBitbucket(ctx, createBitbucketApi(resolved), resolved),
    actions: bitbucketActions(inline, resolved),
    ...(webhookSecret ? { webhooks: bitbucketWebhooks({ ...resolved, webhookSecret }, inline) } : {}),
  };
}
