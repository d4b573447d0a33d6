import type { AiAssessment, AiDetectionInput, WorkItem } from '@teamstate/core';
import { z } from 'zod';
import type { GitHubUser, PeopleLookup } from './github-accounts.js';
import { pullRequestId } from './map-pull-request.js';

const user = z.object({ login: z.string(), id: z.number(), type: z.string().optional() }).nullable().optional();

/**
 * The pull request a `pull_request` (or `pull_request_review`) webhook carries, in GitHub's REST shape:
 * only the fields teamstate maps, each optional but `number`.
 */
export const payloadPullRequest = z.object({
  number: z.number().int().positive(),
  title: z.string().optional(),
  state: z.enum(['open', 'closed']).optional(),
  html_url: z.string().optional(),
  body: z.string().nullable().optional(),
  user,
  created_at: z.string().optional(),
  updated_at: z.string().optional(),
  closed_at: z.string().nullable().optional(),
  merged_at: z.string().nullable().optional(),
  draft: z.boolean().optional(),
  labels: z.array(z.object({ name: z.string() })).optional(),
  assignees: z.array(user).optional(),
  /** The users asked to review it who have not yet (teams are in `requested_teams`, not read). */
  requested_reviewers: z.array(user).optional(),
  head: z.object({ sha: z.string() }).optional(),
  additions: z.number().int().nonnegative().optional(),
  deletions: z.number().int().nonnegative().optional(),
});

/** A webhook's pull request, as parsed by {@link payloadPullRequest}. */
export type PayloadPullRequest = z.infer<typeof payloadPullRequest>;

/** Queues the people a webhook's pull request mentions (author, assignees) for resolution. */
export function addPeopleOfPayload(pr: PayloadPullRequest, people: PeopleLookup): void {
  people.add(pr.user as GitHubUser | null | undefined);
  for (const assignee of pr.assignees ?? []) people.add(assignee as GitHubUser | null);
  for (const reviewer of pr.requested_reviewers ?? []) people.add(reviewer as GitHubUser | null);
}

/**
 * Maps the pull request a webhook carries to a work item, when reading it back from GitHub failed. It
 * holds only what the payload says: reviews, the first commit and the time it was marked ready are left
 * out (core keeps their stored values, and the read-back that is retried later fills them in). `undefined`
 * when the payload lacks what a work item needs (title, state, creation time). `ai` is set only when the author is an
 * agent's bot (`claude[bot]`): the payload has no commits, so otherwise the stored trailer evidence is kept by core,
 * which also detects labels and body again.
 */
export function mapPayloadPullRequest(
  pr: PayloadPullRequest,
  repository: string,
  team: string | undefined,
  people: PeopleLookup,
  detectAi: (input: AiDetectionInput) => AiAssessment,
): WorkItem | undefined {
  if (pr.title === undefined || pr.state === undefined || pr.created_at === undefined) return undefined;
  const item: WorkItem = {
    id: pullRequestId(repository, pr.number),
    source: 'github',
    kind: 'pull_request',
    key: `${repository}#${pr.number}`,
    title: pr.title,
    state: pr.merged_at ? 'merged' : pr.state === 'closed' ? 'closed' : 'open',
    repository,
    createdAt: pr.created_at,
  };
  if (team) item.team = team;
  const author = people.personOf(pr.user as GitHubUser | null | undefined);
  if (author) item.author = author;
  if (pr.assignees) item.assignees = [...new Set(pr.assignees.flatMap((a) => people.personOf(a as GitHubUser | null) ?? []))];
  if (pr.requested_reviewers)
    item.requestedReviewers = [...new Set(pr.requested_reviewers.flatMap((r) => people.personOf(r as GitHubUser | null) ?? []))];
  if (pr.updated_at) item.updatedAt = pr.updated_at;
  if (pr.draft !== undefined) item.draft = pr.draft;
  if (pr.labels) item.labels = pr.labels.map((label) => label.name);
  if (pr.additions !== undefined) item.additions = pr.additions;
  if (pr.deletions !== undefined) item.deletions = pr.deletions;
  if (pr.head) item.headSha = pr.head.sha;
  if (pr.html_url) item.url = pr.html_url;
  if (typeof pr.body === 'string') item.body = pr.body;
  if (pr.merged_at) item.mergedAt = pr.merged_at;
  if (pr.closed_at) item.closedAt = pr.closed_at;
  const byAuthor = pr.user ? detectAi({ author: { login: pr.user.login, type: pr.user.type } }) : undefined;
  if (byAuthor?.assisted)
    item.ai = detectAi({ author: { login: pr.user!.login, type: pr.user!.type }, labels: item.labels, body: item.body });
  return item;
}
