import { type ActionContext, defineActionType } from '@teamstate/core';
import { z } from 'zod';
import type { GitHubClient } from '../client/github-client.js';
import { type ActionDeps, executedIf, issueRoute, pullRequestParams, requireExisting, writeOnce } from './action-deps.js';

/** The hidden marker appended to a comment: finds an earlier run of the same approval. */
export function idempotencyMarker(idempotencyKey: string): string {
  return `<!-- teamstate:${idempotencyKey} -->`;
}

interface RestComment {
  id: number;
  html_url: string;
  body?: string;
}

const params = z.strictObject({
  ...pullRequestParams,
  body: z.string().min(1, { error: 'must not be empty' }).max(60_000, { error: 'GitHub accepts at most 65,536 characters' }),
});

type Params = z.output<typeof params>;

// Pages through the pull request's comments looking for the marker of this approval.
async function findMarked(client: GitHubClient, p: Params, marker: string): Promise<{ commentId: number; url: string } | undefined> {
  for (let page = 1; ; page++) {
    const comments = await client.read<RestComment[]>('GET /repos/{owner}/{repo}/issues/{issue_number}/comments', {
      ...issueRoute(p),
      per_page: 100,
      page,
    });
    const found = comments.find((c) => c.body?.includes(marker));
    if (found) return { commentId: found.id, url: found.html_url };
    if (comments.length < 100) return undefined;
  }
}

/**
 * `github.pr.comment { repository, number, body }`: comments on a pull request. The comment carries a
 * hidden marker with the approval's idempotency key; before posting, and after a crash, the executor
 * looks for it, so one approval never comments twice.
 */
export function commentAction(deps: ActionDeps) {
  return defineActionType({
    type: 'github.pr.comment',
    description: 'Comment on a GitHub pull request',
    risk: 'low',
    params,
    precondition: (p: Params, ctx: ActionContext) => requireExisting(deps.clientFor(ctx), p),
    async execute(p: Params, ctx: ActionContext) {
      const client = deps.clientFor(ctx);
      const marker = idempotencyMarker(ctx.idempotencyKey);
      const earlier = await findMarked(client, p, marker);
      if (earlier) return { ...earlier, alreadyPosted: true };
      return writeOnce(
        async () => {
          const comment = await client.write<RestComment>('POST /repos/{owner}/{repo}/issues/{issue_number}/comments', {
            ...issueRoute(p),
            body: `${p.body}\n\n${marker}`,
          });
          return { commentId: comment.id, url: comment.html_url };
        },
        () => findMarked(client, p, marker),
      );
    },
    checkExecuted: (p: Params, ctx: ActionContext) => executedIf(findMarked(deps.clientFor(ctx), p, idempotencyMarker(ctx.idempotencyKey))),
  });
}
