import type { WorkItem } from '@teamstate/core';
import { type AiHabit, type AiHelp, aiHelp, aiShare } from './ai-help.js';
import { DAY, type DemoContext, HOUR, iso, type TeamPlan } from './demo-context.js';
import { prTopics, prVerbs, repositoryTopics } from './names.js';
import { addWorking, isWeekday, nextWorking, previousWorking } from './working-time.js';

/** An ordinary pull request, or one of the situations near the anchor the signals should find. */
type PullRequestKind = 'normal' | 'stale' | 'awaiting' | 'changes_requested';
type Review = NonNullable<WorkItem['reviews']>[number];

/** The organisation's pull requests, and what the rest of the demo needs to know of them. */
export interface DemoPullRequests {
  /** In the order they were opened: team by team, each member's, then the team's situations to find. */
  workItems: WorkItem[];
  byRepository: Map<string, WorkItem[]>;
  /** How AI helped each pull request it helped (by work item id). */
  aiHelped: Map<string, AiHelp>;
  /** Per team (by id): the pull requests its lead's reviews are pending on. */
  pendingOnLead: Map<string, string[]>;
}

/** Who opens a pull request, in which team, when, and of which kind. */
interface NewPullRequest {
  team: TeamPlan;
  author: string;
  created: number;
  kind: PullRequestKind;
}

interface PullRequestDeps extends DemoContext {
  habits: ReadonlyMap<string, AiHabit>;
  prs: DemoPullRequests;
}

/** How a pull request was opened: drawn before anyone reviews it. */
interface Opening {
  repository: string;
  topic: string;
  revert: boolean;
  hotfix: boolean;
  help: AiHelp | undefined;
  /** Whether, and how long after, a reviewer asks for changes once more (drawn for every pull request). */
  extraRound: boolean;
  extraWait: number;
  firstCommit: number;
  draft: boolean;
  ready: number | undefined;
  readyOrCreated: number;
}

/** What became of a pull request by the anchor. */
interface Outcome {
  reviews: Review[];
  mergedAt: number | undefined;
  closedAt: number | undefined;
  updated: number;
}

/**
 * Every team's pull requests: each member opens some on weekdays (`shape.prsPerDevWeek`), then the team gets a stale
 * one, one waiting for a first review and one waiting on changes. AI helps a growing share of them.
 */
export function openPullRequests(ctx: DemoContext, habits: ReadonlyMap<string, AiHabit>): DemoPullRequests {
  const prs: DemoPullRequests = { workItems: [], byRepository: new Map(), aiHelped: new Map(), pendingOnLead: new Map() };
  const deps: PullRequestDeps = { ...ctx, habits, prs };
  for (const team of ctx.teams) {
    openEverydayPullRequests(deps, team);
    openPullRequestsToFind(deps, team);
  }
  return prs;
}

function openEverydayPullRequests(deps: PullRequestDeps, team: TeamPlan): void {
  for (const author of team.members) {
    for (let day = deps.start; day < deps.end; day += DAY) {
      if (isWeekday(day) && deps.rng.chance(deps.shape.prsPerDevWeek / 5)) {
        // West of UTC, the last day's evening is past the anchor: not opened yet.
        const created = deps.workTime(day, author);
        if (created < deps.end) addPullRequest(deps, { team, author, created, kind: 'normal' });
      }
    }
  }
}

/** Situations the signals should find, near the anchor. */
function openPullRequestsToFind(deps: PullRequestDeps, team: TeamPlan): void {
  const { rng, end, hoursOf } = deps;
  const member = (m: number) => team.members[m % team.members.length]!;
  const [stale, awaiting, changed] = [member(1), member(2), member(3)];
  const staleAt = previousWorking(end - rng.between(12, 20) * DAY, hoursOf(stale));
  const stalePr = addPullRequest(deps, { team, author: stale, created: staleAt, kind: 'stale' });
  // Opened about six days ago (at least 3 working days whatever the weekday) and never reviewed.
  const awaitingAt = previousWorking(end - rng.between(5.5, 6.5) * DAY, hoursOf(awaiting));
  addPullRequest(deps, { team, author: awaiting, created: awaitingAt, kind: 'awaiting' });
  const changedAt = previousWorking(end - rng.between(6.6, 7) * DAY, hoursOf(changed));
  const changedPr = addPullRequest(deps, { team, author: changed, created: changedAt, kind: 'changes_requested' });
  deps.prs.pendingOnLead.set(
    team.id,
    [stalePr, changedPr].filter((pr) => pr.author !== team.members[0]).map((pr) => pr.key),
  );
}

function addPullRequest(deps: PullRequestDeps, pr: NewPullRequest): WorkItem {
  // Numbered in the order they are opened, across the organisation.
  const number = deps.prs.workItems.length + 1;
  const opening = openPullRequest(deps, pr);
  const outcome = reviewPullRequest(deps, pr, opening);
  const item = pullRequestItem(deps, pr, number, opening, outcome);
  deps.prs.workItems.push(item);
  if (opening.help) deps.prs.aiHelped.set(item.id, opening.help);
  const list = deps.prs.byRepository.get(opening.repository);
  if (list) list.push(item);
  else deps.prs.byRepository.set(opening.repository, [item]);
  return item;
}

function openPullRequest(deps: PullRequestDeps, { team, author, created, kind }: NewPullRequest): Opening {
  const { rng, later, start, end } = deps;
  const repository = rng.pick(team.repositories);
  const topic = `${rng.pick(prVerbs)} ${rng.pick(repositoryTopics[repository] ?? prTopics)}`;
  const revert = kind === 'normal' && rng.chance(0.02);
  const hotfix = !revert && kind === 'normal' && rng.chance(0.04);
  // AI helped a growing share of pull requests: they are coded faster, are larger, and get changes requested more.
  const habit = deps.habits.get(author)!;
  const help = aiHelp(later, aiShare((created - start) / (end - start), habit), habit, kind === 'normal');
  const [extraRound, extraWait] = [later.chance(0.3), later.skewed(6 * HOUR, 1.2)];
  const firstCommit = created - rng.skewed(6 * HOUR, 1.2) * (help ? 0.6 : 1);
  const draft = kind === 'normal' && rng.chance(0.15);
  const ready = draft ? created + rng.skewed(5 * HOUR) : undefined;
  return { repository, topic, revert, hotfix, help, extraRound, extraWait, firstCommit, draft, ready, readyOrCreated: ready ?? created };
}

function reviewPullRequest(deps: PullRequestDeps, { team, author, created, kind }: NewPullRequest, opening: Opening): Outcome {
  const { rng, end, hoursOf } = deps;
  const reviews: Review[] = [];
  let mergedAt: number | undefined;
  let closedAt: number | undefined;
  let last = opening.readyOrCreated;
  // The team's first member reviews the stale PR and the one waiting on changes: two reviews pending on them, on top
  // of their work in progress (person.overloaded).
  const lead = team.members[0] !== author ? team.members[0]! : author;
  if (kind === 'stale') {
    last = addWorking(created, rng.skewed(6 * HOUR), hoursOf(lead));
    reviews.push({ reviewer: lead, state: 'commented', submittedAt: iso(last) });
  } else if (kind === 'changes_requested') {
    // About six days ago: more than 3 working days whatever the weekday.
    last = previousWorking(end - rng.between(5.5, 6.5) * DAY, hoursOf(lead));
    reviews.push({ reviewer: lead, state: 'changes_requested', submittedAt: iso(last) });
  } else if (kind === 'normal') {
    if (rng.chance(0.06)) {
      closedAt = created + rng.skewed(40 * HOUR);
      last = closedAt;
    } else {
      mergedAt = reviewAndMerge(deps, team, author, opening, reviews);
      last = mergedAt;
    }
  }
  // Whatever would happen after the anchor has not happened yet.
  return {
    reviews: reviews.filter((r) => Date.parse(r.submittedAt) < end),
    mergedAt: mergedAt !== undefined && mergedAt >= end ? undefined : mergedAt,
    closedAt: closedAt !== undefined && closedAt >= end ? undefined : closedAt,
    updated: Math.min(last, end - 1),
  };
}

/** An ordinary pull request's rounds of review, added to `reviews`, up to its approval; returns when it merged. */
function reviewAndMerge(deps: PullRequestDeps, team: TeamPlan, author: string, opening: Opening, reviews: Review[]): number {
  const { rng, hoursOf } = deps;
  const { readyOrCreated } = opening;
  const reviewer = teammate(deps, team, author);
  let at = addWorking(readyOrCreated, rng.skewed(4 * HOUR, 1.3), hoursOf(reviewer));
  if (rng.chance(0.03))
    reviews.push({ reviewer: author, state: 'commented', submittedAt: iso(addWorking(readyOrCreated, HOUR, hoursOf(author))) });
  const firstRound = rng.next();
  if (firstRound < 0.3) {
    reviews.push({ reviewer, state: 'changes_requested', submittedAt: iso(at) });
    at = addWorking(at, rng.skewed(10 * HOUR, 1.2), hoursOf(reviewer));
  } else if (firstRound < 0.5) {
    const commenter = teammate(deps, team, author);
    reviews.push({ reviewer: commenter, state: 'commented', submittedAt: iso(nextWorking(at, hoursOf(commenter))) });
    at = addWorking(at, rng.skewed(3 * HOUR), hoursOf(reviewer));
  }
  if (opening.help && opening.extraRound) {
    reviews.push({ reviewer, state: 'changes_requested', submittedAt: iso(at) });
    at = addWorking(at, opening.extraWait, hoursOf(reviewer));
  }
  reviews.push({ reviewer, state: 'approved', submittedAt: iso(at) });
  return addWorking(at, rng.skewed(2 * HOUR, 1.2), hoursOf(author));
}

/**
 * A member of `team` other than `not` (unless they are alone). In the last default team its lead does most of the
 * reviews (a review load imbalance to find); the mapping uses no extra random draws, so the rest of the organisation
 * is unchanged.
 */
function teammate(deps: PullRequestDeps, team: TeamPlan, not: string): string {
  const leadReviews = deps.shape.reposPerTeam === 0 && team === deps.teams[deps.teams.length - 1];
  for (;;) {
    let candidate = deps.rng.pick(team.members);
    if (leadReviews && team.members.indexOf(candidate) <= 3 && team.members[0] !== not) candidate = team.members[0]!;
    if (candidate !== not || team.members.length === 1) return candidate;
  }
}

function pullRequestLabels(deps: PullRequestDeps, opening: Opening): string[] {
  const { rng } = deps;
  const labels = opening.hotfix
    ? ['hotfix']
    : opening.revert
      ? ['revert']
      : rng.chance(0.3)
        ? [rng.pick(['backend', 'frontend', 'dependencies', 'tech-debt'])]
        : [];
  labels.push(...(opening.help?.labels ?? []));
  return labels;
}

function pullRequestItem(
  deps: PullRequestDeps,
  { team, author, created, kind }: NewPullRequest,
  number: number,
  opening: Opening,
  outcome: Outcome,
): WorkItem {
  const { rng, end } = deps;
  const { repository, topic, help, ready } = opening;
  const { mergedAt, closedAt } = outcome;
  const labels = pullRequestLabels(deps, opening);
  const size = help ? 1.3 : 1;
  const large = (kind === 'normal' && rng.chance(0.06)) || kind === 'awaiting';
  return {
    id: `gh-pr-${repository}#${number}`,
    source: 'github',
    kind: 'pull_request',
    key: `${repository}#${number}`,
    title: opening.revert ? `Revert "${topic}"` : topic,
    state: mergedAt !== undefined ? 'merged' : closedAt !== undefined ? 'closed' : 'open',
    team: team.id,
    repository,
    // Copilot's coding agent opens its pull requests itself (a bot is no person): the person who asked is assigned.
    ...(help?.agent ? { assignees: [author] } : { author }),
    createdAt: iso(created),
    updatedAt: iso(outcome.updated),
    firstCommitAt: iso(opening.firstCommit),
    ...(ready !== undefined && ready < end ? { readyAt: iso(ready) } : {}),
    ...(mergedAt !== undefined ? { mergedAt: iso(mergedAt) } : {}),
    ...(closedAt !== undefined ? { closedAt: iso(closedAt) } : {}),
    draft: opening.draft && (ready === undefined || ready >= end),
    labels,
    additions: Math.round((large ? rng.between(450, 1800) : rng.skewed(70, 1.3)) * size),
    deletions: Math.round((large ? rng.between(50, 600) : rng.skewed(25, 1.3)) * size),
    reviews: outcome.reviews,
    headSha: rng.hex(40),
    url: `https://github.com/${repository}/pull/${number}`,
    body: `${topic}.\n\nTesting: unit tests added.${help?.body ? `\n\n${help.body}` : ''}`,
    ...(help?.ai ? { ai: help.ai } : {}),
  };
}
