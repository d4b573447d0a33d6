import type { AiAssessment, AiDetectionInput, Review, WorkItem } from '@teamstate/core';
import type { GlCommit, GlEvent, GlMergeRequest, GlNote, GlUser } from '../client/gitlab-types.js';
import type { GitLabPeople } from './gitlab-accounts.js';

const iso = (value: string) => new Date(value).toISOString();

/** The work item id of a merge request: `gl-mr-acme/checkout!42`. */
export function mergeRequestId(repository: string, iid: number): string {
  return `gl-mr-${repository}!${iid}`;
}

/** A review as GitLab records it: an approval, or a comment by someone. */
export interface GitLabReview {
  user: GlUser;
  state: 'approved' | 'commented';
  at: string;
}

/** Approvals and comments of a merge request from its notes: `approved this merge request` system notes, and comments. */
export function reviewsFromNotes(notes: readonly GlNote[]): GitLabReview[] {
  return notes.flatMap((note): GitLabReview[] => {
    if (note.system)
      return /^approved this merge request/i.test(note.body) ? [{ user: note.author, state: 'approved', at: note.created_at }] : [];
    return [{ user: note.author, state: 'commented', at: note.created_at }];
  });
}

// `marked this merge request as **ready**` (GitLab 14+), `unmarked as a **Work In Progress**` (older instances).
const READY_NOTE = /^(marked this merge request as \*\*ready\*\*|unmarked as a \*\*(work in progress|draft)\*\*)/i;

/** When a merge request was first marked ready for review (a draft until then): its first "marked as ready" system note. */
export function readyFromNotes(notes: readonly GlNote[]): string | undefined {
  const ready = notes.filter((note) => note.system && READY_NOTE.test(note.body)).map((note) => iso(note.created_at));
  return ready.sort()[0];
}

/** When work on a merge request began: its earliest authored commit (GitLab lists commits newest first). */
export function firstCommitOf(commits: readonly GlCommit[]): string | undefined {
  return commits.map((commit) => iso(commit.authored_date)).sort()[0];
}

/** The same from the project's events (`approved`, and `commented on` a merge request's note), by merge request iid. */
export function reviewsFromEvents(events: readonly GlEvent[], into: Map<number, GitLabReview[]> = new Map()): Map<number, GitLabReview[]> {
  for (const event of events) {
    let iid: number | undefined;
    let review: GitLabReview | undefined;
    if (event.action_name === 'approved' && event.target_type === 'MergeRequest' && event.target_iid !== null) {
      iid = event.target_iid;
      review = { user: event.author, state: 'approved', at: event.created_at };
    } else if (event.note && event.note.noteable_type === 'MergeRequest' && !event.note.system) {
      iid = event.note.noteable_iid;
      review = { user: event.note.author ?? event.author, state: 'commented', at: event.note.created_at };
    }
    if (iid === undefined || !review) continue;
    const list = into.get(iid) ?? [];
    list.push(review);
    into.set(iid, list);
  }
  return into;
}

/** Queues every person a merge request mentions for resolution. */
export function addPeopleOf(mr: GlMergeRequest, reviews: readonly GitLabReview[], people: GitLabPeople): void {
  people.add(mr.author);
  for (const user of mr.assignees ?? []) people.add(user);
  for (const review of reviews) people.add(review.user);
}

/**
 * A merge request as a pull request work item (`gl-mr-acme/checkout!42`, key `acme/checkout!42`): approvals and
 * comments by people other than the author as reviews (GitHub's `approved` and `commented`), the changed paths and the
 * first commit when read; `readyAt` is when it was first marked ready (`readyAt`, from its notes), else its creation,
 * and a current draft has none (as on GitHub).
 */
export function mapMergeRequest(
  mr: GlMergeRequest,
  repository: string,
  reviews: readonly GitLabReview[],
  people: GitLabPeople,
  options: {
    team?: string;
    paths?: readonly string[];
    firstCommitAt?: string;
    readyAt?: string;
    detectAi(input: AiDetectionInput): AiAssessment;
  },
): WorkItem {
  const mapped = reviews
    // An author's own comments are replies, not reviews (as on GitHub, where nobody reviews their own pull request).
    .filter((review) => review.user.id !== mr.author?.id)
    .flatMap((review): Review[] => {
      const reviewer = people.personOf(review.user);
      return reviewer ? [{ reviewer, state: review.state, submittedAt: iso(review.at) }] : [];
    })
    .sort((a, b) => Date.parse(a.submittedAt) - Date.parse(b.submittedAt) || a.reviewer.localeCompare(b.reviewer));
  const author = people.personOf(mr.author);
  const assignees = [...new Set((mr.assignees ?? []).flatMap((user) => people.personOf(user) ?? []))];
  const body = mr.description ?? '';
  const item: WorkItem = {
    id: mergeRequestId(repository, mr.iid),
    source: 'gitlab',
    kind: 'pull_request',
    key: `${repository}!${mr.iid}`,
    title: mr.title,
    state: mr.state === 'merged' ? 'merged' : mr.state === 'opened' ? 'open' : 'closed',
    repository,
    createdAt: iso(mr.created_at),
    updatedAt: iso(mr.updated_at),
    draft: mr.draft,
    labels: [...mr.labels],
    reviews: mapped,
    assignees,
    url: mr.web_url,
    body,
    ai: options.detectAi({
      author: mr.author ? { login: mr.author.username, type: mr.author.bot ? 'Bot' : 'User' } : null,
      commits: [],
      labels: [...mr.labels],
      body,
    }),
  };
  if (mr.sha) item.headSha = mr.sha;
  if (options.team) item.team = options.team;
  if (author) item.author = author;
  if (options.paths && options.paths.length > 0) item.paths = [...options.paths];
  if (options.firstCommitAt) item.firstCommitAt = options.firstCommitAt;
  if (!mr.draft) item.readyAt = options.readyAt ?? iso(mr.created_at);
  if (mr.merged_at) item.mergedAt = iso(mr.merged_at);
  if (mr.closed_at) item.closedAt = iso(mr.closed_at);
  else if (mr.state === 'merged' && mr.merged_at) item.closedAt = iso(mr.merged_at);
  return item;
}
