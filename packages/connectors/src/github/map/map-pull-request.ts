import type { AiAssessment, AiCommit, AiDetectionInput, AiIdentity, Review, WorkItem } from '@teamstate/core';
import { type ActorNode, type GitActorNode, nodesOf, type PullRequestNode, type ReviewNode } from '../client/graphql-types.js';
import type { PeopleLookup } from './github-accounts.js';

/** The work item id of a pull request: `gh-pr-acme/api#42`. */
export function pullRequestId(repository: string, number: number): string {
  return `gh-pr-${repository}#${number}`;
}

const REVIEW_STATES: Record<ReviewNode['state'], Review['state'] | undefined> = {
  APPROVED: 'approved',
  CHANGES_REQUESTED: 'changes_requested',
  COMMENTED: 'commented',
  DISMISSED: 'dismissed',
  // A pending review is the reviewer's unsubmitted draft: not a review yet.
  PENDING: undefined,
};

/** Queues every person a pull request mentions (author, assignees, reviewers) for resolution. */
export function addPeopleOf(node: PullRequestNode, people: PeopleLookup): void {
  people.add(node.author);
  for (const assignee of nodesOf(node.assignees)) people.add(assignee);
  for (const review of nodesOf(node.reviews)) people.add(review.author);
  for (const user of requestedUsers(node)) people.add(user);
}

/** The users a pull request asks to review it (teams left out). */
function requestedUsers(node: PullRequestNode): ActorNode[] {
  return nodesOf(node.reviewRequests).flatMap((request) => {
    const reviewer = request.requestedReviewer;
    return reviewer && reviewer.__typename === 'User' && typeof reviewer.login === 'string' ? [reviewer as ActorNode] : [];
  });
}

/**
 * Maps a complete pull request (nested connections followed to their end) to a full work item record:
 * upserts replace every column, so every field GitHub knows is set. `readyAt` is the first time it was
 * marked ready for review, or its creation when it never was a draft; a current draft has none.
 */
export function mapPullRequest(
  node: PullRequestNode,
  repository: string,
  team: string | undefined,
  people: PeopleLookup,
  detectAi: (input: AiDetectionInput) => AiAssessment,
): WorkItem {
  const reviews = nodesOf(node.reviews)
    .flatMap((review): Review[] => {
      const state = REVIEW_STATES[review.state];
      const reviewer = people.personOf(review.author);
      return state && reviewer && review.submittedAt ? [{ reviewer, state, submittedAt: review.submittedAt }] : [];
    })
    .sort((a, b) => Date.parse(a.submittedAt) - Date.parse(b.submittedAt));
  const assignees = [...new Set(nodesOf(node.assignees).flatMap((user) => people.personOf(user) ?? []))];
  const author = people.personOf(node.author);
  const readyEvent = nodesOf(node.timelineItems).find((item) => item.createdAt)?.createdAt;
  const firstCommit = nodesOf(node.commits)[0]?.commit.authoredDate;
  const paths = nodesOf(node.files).map((file) => file.path);
  const item: WorkItem = {
    id: pullRequestId(repository, node.number),
    source: 'github',
    kind: 'pull_request',
    key: `${repository}#${node.number}`,
    title: node.title,
    state: node.state === 'MERGED' ? 'merged' : node.state === 'CLOSED' ? 'closed' : 'open',
    repository,
    createdAt: node.createdAt,
    updatedAt: node.updatedAt,
    draft: node.isDraft,
    labels: nodesOf(node.labels).map((label) => label.name),
    additions: node.additions,
    deletions: node.deletions,
    reviews,
    assignees,
    headSha: node.headRefOid,
    url: node.url,
    body: node.body,
    ai: detectAi(aiInputOf(node)),
  };
  if (team) item.team = team;
  if (author) item.author = author;
  if (firstCommit) item.firstCommitAt = firstCommit;
  if (paths.length > 0) item.paths = paths;
  // Read with every pull request: the list replaces the stored one (a request removed, or answered by a review, goes).
  if (node.reviewRequests !== undefined)
    item.requestedReviewers = [...new Set(requestedUsers(node).flatMap((user) => people.personOf(user) ?? []))];
  if (!node.isDraft) item.readyAt = readyEvent ?? node.createdAt;
  if (node.mergedAt) item.mergedAt = node.mergedAt;
  if (node.closedAt) item.closedAt = node.closedAt;
  return item;
}

/** What AI detection reads from a pull request: its author (GraphQL `__typename`), commits, labels and body. */
export function aiInputOf(node: PullRequestNode): AiDetectionInput {
  const seen = new Set<string>();
  const commits: AiCommit[] = [];
  for (const { commit } of [...nodesOf(node.commits), ...nodesOf(node.lastCommits)]) {
    const key = `${commit.authoredDate}\u0000${commit.message ?? ''}`;
    if (seen.has(key)) continue;
    seen.add(key);
    commits.push({ message: commit.message, author: gitIdentity(commit.author), committer: gitIdentity(commit.committer) });
  }
  return {
    author: node.author ? { login: node.author.login, type: node.author.__typename } : null,
    commits,
    labels: nodesOf(node.labels).map((label) => label.name),
    body: node.body,
  };
}

function gitIdentity(actor: GitActorNode | null | undefined): AiIdentity | null {
  return actor ? { name: actor.name, email: actor.email, login: actor.user?.login } : null;
}
