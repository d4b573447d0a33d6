import type { AiAssessment, AiDetectionInput, Review, WorkItem } from '@teamstate/core';
import type { BbActivity, BbCommit, BbPullRequest, BbUser } from '../client/bitbucket-types.js';
import type { BitbucketPeople } from './bitbucket-people.js';

const iso = (value: string) => new Date(value).toISOString();

/** The work item id of a pull request: `bb-pr-acme/checkout#42`. */
export function pullRequestId(repository: string, id: number): string {
  return `bb-pr-${repository}#${id}`;
}

/** What a pull request's activity feed says: reviews (approvals, changes requested) and when it was merged or declined. */
export interface PullRequestActivity {
  reviews: { user: BbUser; state: 'approved' | 'changes_requested'; at: string }[];
  mergedAt?: string;
  declinedAt?: string;
}

/** Reads the activity feed: approvals and requests for changes are reviews (comments are not), updates give the close times. */
export function readActivity(activity: readonly BbActivity[]): PullRequestActivity {
  const result: PullRequestActivity = { reviews: [] };
  for (const entry of activity) {
    if (entry.approval) result.reviews.push({ user: entry.approval.user, state: 'approved', at: entry.approval.date });
    else if (entry.changes_requested)
      result.reviews.push({ user: entry.changes_requested.user, state: 'changes_requested', at: entry.changes_requested.date });
    else if (entry.update?.state === 'MERGED' && (!result.mergedAt || entry.update.date < result.mergedAt))
      result.mergedAt = entry.update.date;
    else if (entry.update?.state === 'DECLINED' && (!result.declinedAt || entry.update.date < result.declinedAt))
      result.declinedAt = entry.update.date;
  }
  return result;
}

/** When work began: the earliest commit of the pull request. */
export function firstCommitOf(commits: readonly BbCommit[]): string | undefined {
  return commits.map((commit) => iso(commit.date)).sort()[0];
}

/**
 * A pull request as a work item (`bb-pr-acme/checkout#42`, key `acme/checkout#42`): reviews by people other than the
 * author; merged and declined times from the activity feed (the pull request's last update otherwise); a draft has no
 * ready time, others are ready from their creation.
 */
export function mapPullRequest(
  pr: BbPullRequest,
  repository: string,
  activity: PullRequestActivity,
  people: BitbucketPeople,
  options: { team?: string; firstCommitAt?: string; detectAi(input: AiDetectionInput): AiAssessment },
): WorkItem {
  const authorId = pr.author?.uuid;
  const reviews = activity.reviews
    .filter((review) => review.user.uuid !== authorId)
    .flatMap((review): Review[] => {
      const reviewer = people.personOf(review.user);
      return reviewer ? [{ reviewer, state: review.state, submittedAt: iso(review.at) }] : [];
    })
    .sort((a, b) => Date.parse(a.submittedAt) - Date.parse(b.submittedAt) || a.reviewer.localeCompare(b.reviewer));
  const body = pr.description ?? '';
  const item: WorkItem = {
    id: pullRequestId(repository, pr.id),
    source: 'bitbucket',
    kind: 'pull_request',
    key: `${repository}#${pr.id}`,
    title: pr.title,
    state: pr.state === 'MERGED' ? 'merged' : pr.state === 'OPEN' ? 'open' : 'closed',
    repository,
    createdAt: iso(pr.created_on),
    updatedAt: iso(pr.updated_on),
    draft: pr.draft === true,
    labels: [],
    reviews,
    assignees: [],
    url: pr.links.html.href,
    body,
    ai: options.detectAi({
      author: pr.author ? { login: pr.author.nickname ?? pr.author.uuid, type: pr.author.type === 'app_user' ? 'Bot' : 'User' } : null,
      commits: [],
      labels: [],
      body,
    }),
  };
  const author = people.personOf(pr.author);
  if (author) item.author = author;
  if (pr.source.commit?.hash) item.headSha = pr.source.commit.hash;
  if (options.team) item.team = options.team;
  if (options.firstCommitAt) item.firstCommitAt = options.firstCommitAt;
  if (pr.draft !== true) item.readyAt = iso(pr.created_on);
  if (pr.state === 'MERGED') {
    item.mergedAt = iso(activity.mergedAt ?? pr.updated_on);
    item.closedAt = item.mergedAt;
  } else if (pr.state === 'DECLINED' || pr.state === 'SUPERSEDED') item.closedAt = iso(activity.declinedAt ?? pr.updated_on);
  return item;
}
