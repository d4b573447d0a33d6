import { type ActionContext, defineActionType } from '@teamstate/core';
import { z } from 'zod';
import type { GitHubClient } from '../client/github-client.js';
import { type ActionDeps, executedIf, pullRequestParams, pullRoute, readPullRequest, requireOpen, writeOnce } from './action-deps.js';

const params = z
  .strictObject({
    ...pullRequestParams,
    /** GitHub logins. */
    reviewers: z.array(z.string().min(1)).default([]),
    /** Team slugs of the repository's organisation. */
    teamReviewers: z.array(z.string().min(1)).default([]),
  })
  .refine((p) => p.reviewers.length + p.teamReviewers.length > 0, { error: 'give at least one reviewer or team', path: ['reviewers'] });

type Params = z.output<typeof params>;

const lower = (values: readonly string[]) => values.map((v) => v.toLowerCase());

// Everyone asked for is among the requested reviewers now.
async function requested(client: GitHubClient, p: Params): Promise<{ requested: string[]; teams: string[] } | undefined> {
  const pr = await readPullRequest(client, p);
  if (!pr) return undefined;
  const people = lower((pr.requested_reviewers ?? []).map((r) => r.login));
  const teams = lower((pr.requested_teams ?? []).map((t) => t.slug));
  const done = lower(p.reviewers).every((r) => people.includes(r)) && lower(p.teamReviewers).every((t) => teams.includes(t));
  return done ? { requested: people, teams } : undefined;
}

/**
 * `github.pr.request_review { repository, number, reviewers?, teamReviewers? }`: requests reviews on an
 * open pull request. Requesting the same reviewers again changes nothing.
 */
export function requestReviewAction(deps: ActionDeps) {
  return defineActionType({
    type: 'github.pr.request_review',
    description: 'Request reviews on a GitHub pull request',
    risk: 'low',
    params,
    precondition: (p: Params, ctx: ActionContext) => requireOpen(deps.clientFor(ctx), p),
    async execute(p: Params, ctx: ActionContext) {
      const client = deps.clientFor(ctx);
      return writeOnce(
        async () => {
          const pr = await client.write<{ requested_reviewers?: { login: string }[]; requested_teams?: { slug: string }[] }>(
            'POST /repos/{owner}/{repo}/pulls/{pull_number}/requested_reviewers',
            { ...pullRoute(p), reviewers: p.reviewers, team_reviewers: p.teamReviewers },
          );
          return {
            requested: lower((pr.requested_reviewers ?? []).map((r) => r.login)),
            teams: lower((pr.requested_teams ?? []).map((t) => t.slug)),
          };
        },
        () => requested(client, p),
      );
    },
    checkExecuted: (p: Params, ctx: ActionContext) => executedIf(requested(deps.clientFor(ctx), p)),
  });
}
