import { type ActionContext, defineActionType, type PreconditionResult } from '@teamstate/core';
import { z } from 'zod';
import { type ActionDeps, notFound, pullRequestParams, pullRoute, readPullRequest, writeOnce } from './action-deps.js';

const params = z.strictObject({ ...pullRequestParams });

type Params = z.output<typeof params>;

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
    async precondition(p: Params, ctx: ActionContext): Promise<PreconditionResult> {
      const pr = await readPullRequest(deps.clientFor(ctx), p);
      if (!pr) return notFound(p);
      return pr.state === 'open'
        ? { ok: true }
        : { ok: false, reason: `${p.repository}#${p.number} is already ${pr.merged ? 'merged' : 'closed'}` };
    },
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
        async () => {
          const pr = await readPullRequest(client, p);
          return pr?.state === 'closed' && !pr.merged ? { closed: true } : undefined;
        },
      );
    },
    async checkExecuted(p: Params, ctx: ActionContext) {
      const pr = await readPullRequest(deps.clientFor(ctx), p);
      return pr?.state === 'closed' && !pr.merged ? { executed: true, result: { closed: true } } : { executed: false };
    },
  });
}
