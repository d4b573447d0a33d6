import { type ActionContext, defineActionType } from '@teamstate/core';
import { z } from 'zod';
import type { GitHubClient } from '../client/github-client.js';
import { GitHubApiError } from '../client/github-error.js';
import { type ActionDeps, executedIf, issueRoute, pullRequestParams, readPullRequest, requireExisting, writeOnce } from './action-deps.js';

const labelName = z.string().min(1).max(100);

const params = z
  .strictObject({
    ...pullRequestParams,
    /** Labels to add (created in the repository if they do not exist). */
    add: z.array(labelName).default([]),
    /** Labels to remove (a label that is not there is fine). */
    remove: z.array(labelName).default([]),
  })
  .refine((p) => p.add.length + p.remove.length > 0, { error: 'give at least one label to add or remove', path: ['add'] });

type Params = z.output<typeof params>;

const sameName = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

// The labels already are as the action wants them: added ones present, removed ones absent.
async function labelsApplied(client: GitHubClient, p: Params): Promise<{ labels: string[] } | undefined> {
  const pr = await readPullRequest(client, p);
  if (!pr) return undefined;
  const names = pr.labels.map((l) => l.name);
  const done = p.add.every((a) => names.some((n) => sameName(n, a))) && !p.remove.some((r) => names.some((n) => sameName(n, r)));
  return done ? { labels: names } : undefined;
}

/**
 * `github.pr.label { repository, number, add?, remove? }`: adds and removes labels. Applying it again
 * changes nothing, and `checkExecuted` compares the labels with what was asked.
 */
export function labelAction(deps: ActionDeps) {
  return defineActionType({
    type: 'github.pr.label',
    description: 'Add or remove labels on a GitHub pull request',
    risk: 'low',
    params,
    precondition: (p: Params, ctx: ActionContext) => requireExisting(deps.clientFor(ctx), p),
    async execute(p: Params, ctx: ActionContext) {
      const client = deps.clientFor(ctx);
      return writeOnce(
        async () => {
          let labels: { name: string }[] = [];
          if (p.add.length > 0)
            labels = await client.write<{ name: string }[]>('POST /repos/{owner}/{repo}/issues/{issue_number}/labels', {
              ...issueRoute(p),
              labels: p.add,
            });
          for (const name of p.remove) {
            try {
              labels = await client.write<{ name: string }[]>('DELETE /repos/{owner}/{repo}/issues/{issue_number}/labels/{name}', {
                ...issueRoute(p),
                name,
              });
            } catch (error) {
              // 404: the label is not on the pull request, which is what removing it wants.
              if (!(GitHubApiError.isGitHubApiError(error) && error.statusCode === 404)) throw error;
            }
          }
          if (p.remove.length > 0 || labels.length === 0) return (await labelsApplied(client, p)) ?? { labels: labels.map((l) => l.name) };
          return { labels: labels.map((l) => l.name) };
        },
        () => labelsApplied(client, p),
      );
    },
    checkExecuted: (p: Params, ctx: ActionContext) => executedIf(labelsApplied(deps.clientFor(ctx), p)),
  });
}
