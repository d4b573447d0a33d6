import { type ActionContext, defineActionType } from '@teamstate/core';
import { z } from 'zod';
import type { GitHubClient } from '../client/github-client.js';
import { type ActionDeps, executedIf, pullRequestParams, pullRoute, readPullRequest, requireOpen, writeOnce } from './action-deps.js';

const params = z.strictObject({ ...pullRequestParams });

type Params = z.output<typeof params>;

// Closed without being merged, as the pull request is now.
async function closed(client: GitHubClient, p: Params): Promise<{ closed: true } | undefined> {
  const pr = await readPullRequest(client, p);
  return pr?.state === 'closed' && !pr.merged ? { closed: true } : undefined;
}

/**
 * `github.pr.close { repository, number }`: closes an open pull request without merging it. Closing
 * is idempotent; after a crash, `checkExecuted` finds the pull request closed.
 */
export function closeAction(deps: ActionDeps) {
  return defineActionType({
    type: 'github.pr.close',
    description: 'Close a GitHub pull request without merging',
    risk: 'medium',
    params,
    precondition: (p: Params, ctx: ActionContext) => requireOpen(deps.clientFor(ctx), p),
    async execute(p: Params, ctx: ActionContext) {
      const client = deps.clientFor(ctx);
      return writeOnce(
        async () => {
          const pr = await client.write<{ state: string }>('PATCH /repos/{owner}/{repo}/pulls/{pull_number}', {
            ...pullRoute(p),
            state: 'closed',
          });
          return { closed: pr.state === 'closed' };
        },
        () => closed(client, p),
      );
    },
    checkExecuted: (p: Params, ctx: ActionContext) => executedIf(closed(deps.clientFor(ctx), p)),
  });
}
