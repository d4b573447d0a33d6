import type { Sprint, WorkItem } from '@teamstate/core';
import type { ReportingTeam } from './daily-reports.js';
import { DAY, type DemoContext, HOUR, iso, type TeamPlan } from './demo-context.js';
import { issueFlow, type Status, status } from './issue-flow.js';
import { issueTopics, stuckTitles, teamIssueTopics } from './names.js';
import { addWorking, previousWorking, WORKDAY } from './working-time.js';

type Transition = NonNullable<WorkItem['transitions']>[number];

/** The organisation's Jira side: epics and issues with their status history, and every team's sprints. */
export interface DemoSprints {
  workItems: WorkItem[];
  sprints: Sprint[];
  /** Per team (by id): its ticket blocked for days, and what it waits on. */
  blockedTickets: Map<string, NonNullable<ReportingTeam['blocked']>>;
}

/** A team's Jira project as it fills: its epics' keys, the number of its last issue, and how often each topic was used. */
interface Board {
  team: TeamPlan;
  epics: string[];
  issues: number;
  topicsUsed: Map<string, number>;
}

/** What a second, third… issue on one topic is about: no two issues of a team share a title. */
const ASPECTS = [
  '',
  ': API',
  ': UI',
  ': rollout',
  ': monitoring',
  ': edge cases',
  ': docs',
  ': clean-up',
  ': migration',
  ': load test',
  ': permissions',
  ': mobile',
  ': reporting',
  ': alerts',
  ': audit trail',
];

/**
 * An issue title on the drawn topic no other issue of the board has: the topic with the next aspect not yet used, or,
 * once the topic has them all, the next topic of the list that has one left.
 */
function uniqueTitle(board: Board, topics: readonly string[], drawn: string): string {
  const start = Math.max(0, topics.indexOf(drawn));
  for (let step = 0; step < topics.length; step++) {
    const topic = topics[(start + step) % topics.length]!;
    const used = board.topicsUsed.get(topic) ?? 0;
    if (used < ASPECTS.length) {
      board.topicsUsed.set(topic, used + 1);
      return `${topic}${ASPECTS[used]}`;
    }
  }
  const used = board.topicsUsed.get(drawn) ?? 0;
  board.topicsUsed.set(drawn, used + 1);
  return `${drawn} (part ${used - ASPECTS.length + 2})`;
}

/** One of a team's two-week sprints, and the issues committed to it (its `committedItems`, filled as they come). */
interface SprintPlan {
  id: string;
  start: number;
  end: number;
  state: Sprint['state'];
  committed: string[];
}

interface SprintDeps extends DemoContext {
  out: DemoSprints;
}

/**
 * Every team's two epics and two-week sprints, anchored so that the current one is always six days in, whatever the
 * day: each member's issues of each sprint with their status history, and in the current sprint a ticket blocked for
 * days, one in progress for weeks and one past its due date. The team's first member carries too much.
 */
export function planSprints(ctx: DemoContext): DemoSprints {
  const out: DemoSprints = { workItems: [], sprints: [], blockedTickets: new Map() };
  const deps: SprintDeps = { ...ctx, out };
  const currentSprintStart = ctx.end - 6 * DAY + 9 * HOUR;
  const firstSprintStart = currentSprintStart - Math.ceil((currentSprintStart - ctx.start) / (14 * DAY)) * 14 * DAY;
  for (const team of ctx.teams) {
    const board: Board = { team, epics: [], issues: 0, topicsUsed: new Map() };
    board.epics.push(addEpic(deps, board, 'reliability'), addEpic(deps, board, 'roadmap'));
    let sprintNumber = 0;
    for (let sprintStart = firstSprintStart; sprintStart < ctx.end + 14 * DAY; sprintStart += 14 * DAY) {
      const sprint = openSprint(deps, team, ++sprintNumber, sprintStart);
      fillSprint(deps, board, sprint);
      if (sprint.state === 'active') addStuckIssues(deps, board, sprint);
    }
  }
  return out;
}

/** The key of `board`'s next issue. */
const nextKey = (board: Board) => `${board.team.project}-${++board.issues}`;

function addEpic(deps: SprintDeps, board: Board, theme: string): string {
  const { team } = board;
  const key = nextKey(board);
  deps.out.workItems.push({
    id: `jira-${key}`,
    source: 'jira',
    kind: 'epic',
    key,
    title: `${team.name} ${theme} epic`,
    state: 'In Progress',
    statusCategory: 'in_progress',
    team: team.id,
    assignees: [team.members[0]!],
    createdAt: iso(deps.start - 10 * DAY),
    transitions: [{ at: iso(deps.start - 9 * DAY), from: 'To Do', to: 'In Progress', fromCategory: 'todo', toCategory: 'in_progress' }],
  });
  return key;
}

function openSprint(deps: SprintDeps, team: TeamPlan, number: number, start: number): SprintPlan {
  const end = start + 14 * DAY - 10 * HOUR;
  const state: Sprint['state'] = start >= deps.end ? 'future' : end >= deps.end ? 'active' : 'closed';
  const plan: SprintPlan = { id: `sprint-${team.id}-${number}`, start, end, state, committed: [] };
  deps.out.sprints.push({
    id: plan.id,
    name: `${team.name} Sprint ${number}`,
    team: team.id,
    state,
    startAt: iso(start),
    endAt: iso(end),
    ...(state === 'closed' ? { completedAt: iso(end) } : {}),
    committedItems: plan.committed,
  });
  return plan;
}

/** Each member's issues of `sprint`: about `shape.issuesPerDevSprint` each. */
function fillSprint(deps: SprintDeps, board: Board, sprint: SprintPlan): void {
  const { rng, shape } = deps;
  for (const assignee of board.team.members) {
    // The team's first member carries too much work in the current sprint: seven items (`wip.over_limit`), and
    // with their two pending reviews nine things at once (`person.overloaded`).
    const overloaded = sprint.state === 'active' && assignee === board.team.members[0];
    const count = overloaded ? 7 : Math.max(0, Math.round(rng.between(shape.issuesPerDevSprint - 1.2, shape.issuesPerDevSprint + 1.2)));
    for (let n = 0; n < count; n++) addIssue(deps, board, sprint, assignee, overloaded);
  }
}

/** One issue of `sprint` for `assignee`, unless it would be created after the anchor (its key is used all the same). */
function addIssue(deps: SprintDeps, board: Board, sprint: SprintPlan, assignee: string, overloaded: boolean): void {
  const { rng, end } = deps;
  const { team } = board;
  const key = nextKey(board);
  const addedMidSprint = !overloaded && sprint.state !== 'future' && rng.chance(0.15);
  const created = addedMidSprint ? sprint.start + rng.between(1, 6) * DAY : sprint.start - rng.between(1, 12) * DAY;
  if (created >= end) return;
  if (!addedMidSprint) sprint.committed.push(`jira-${key}`);
  const { transitions, current } = issueHistory(deps, sprint, assignee, created, overloaded);
  const points = rng.pick([1, 2, 3, 3, 5, 5, 8]);
  const roll = rng.next();
  const kind = roll < 0.6 ? 'story' : roll < 0.85 ? 'bug' : 'task';
  const resolved = current === status.done ? transitions.at(-1)!.at : undefined;
  const due = rng.chance(0.2) ? sprint.end : undefined;
  const topics = teamIssueTopics[team.id] ?? issueTopics;
  deps.out.workItems.push({
    id: `jira-${key}`,
    source: 'jira',
    kind,
    key,
    title: `${uniqueTitle(board, topics, rng.pick(topics))}${kind === 'bug' ? ' (bug)' : ''}`,
    state: current.name,
    statusCategory: current.category,
    team: team.id,
    author: team.members[0]!,
    assignees: [assignee],
    createdAt: iso(created),
    updatedAt: iso(transitions.length > 0 ? Date.parse(transitions.at(-1)!.at) : created),
    ...(resolved ? { resolvedAt: resolved } : {}),
    ...(due !== undefined ? { dueAt: iso(due) } : {}),
    storyPoints: points,
    sprint: sprint.id,
    transitions,
    flagged: current === status.blocked,
    ...(rng.chance(0.5) ? { parent: rng.pick(board.epics) } : {}),
    url: `https://acme.atlassian.net/browse/${key}`,
  });
}

/**
 * An issue's moves through the workflow in the assignee's working time, up to the anchor, and where it stands then.
 * The overloaded member's issues were all just started.
 */
function issueHistory(
  deps: SprintDeps,
  sprint: SprintPlan,
  assignee: string,
  created: number,
  overloaded: boolean,
): { transitions: Transition[]; current: Status } {
  const { rng, end } = deps;
  const transitions: Transition[] = [];
  let current = status.todo as Status;
  const move = (to: Status, at: number) => {
    if (at >= end) return false;
    transitions.push({ at: iso(at), from: current.name, to: to.name, fromCategory: current.category, toCategory: to.category });
    current = to;
    return true;
  };
  const hours = deps.hoursOf(assignee);
  const at = addWorking(Math.max(created, sprint.start), rng.between(0, 3) * WORKDAY, hours);
  const flow = issueFlow(rng);
  if (sprint.state !== 'future') {
    if (overloaded) move(status.progress, previousWorking(Math.min(at, end - 2 * DAY), hours));
    else {
      let next = at;
      for (let step = 0; step < flow.length && move(flow[step]!.to, next); step++) next = addWorking(next, flow[step]!.stay, hours);
    }
  }
  return { transitions, current };
}

/** A ticket blocked for days, one in progress for weeks and one past its due date, in every team's current sprint. */
function addStuckIssues(deps: SprintDeps, board: Board, sprint: SprintPlan): void {
  addBlockedIssue(deps, board, sprint);
  addAgingIssue(deps, board, sprint);
  addOverdueIssue(deps, board, sprint);
}

function addBlockedIssue(deps: SprintDeps, board: Board, sprint: SprintPlan): void {
  const { team } = board;
  const key = nextKey(board);
  const blockedBy = team.members[1 % team.members.length]!;
  const since = previousWorking(deps.end - deps.rng.between(3, 4) * DAY, deps.hoursOf(blockedBy));
  const titles = stuckTitles(team);
  deps.out.blockedTickets.set(team.id, { person: blockedBy, key, since, waitingOn: titles.waitingOn });
  sprint.committed.push(`jira-${key}`);
  deps.out.workItems.push({
    id: `jira-${key}`,
    source: 'jira',
    kind: 'story',
    key,
    title: titles.blocked,
    state: 'Blocked',
    statusCategory: 'in_progress',
    team: team.id,
    author: team.members[0]!,
    assignees: [blockedBy],
    createdAt: iso(sprint.start - 3 * DAY),
    updatedAt: iso(since),
    storyPoints: 5,
    sprint: sprint.id,
    flagged: true,
    transitions: [
      {
        at: iso(previousWorking(since - 2 * DAY, deps.hoursOf(blockedBy))),
        from: 'To Do',
        to: 'In Progress',
        fromCategory: 'todo',
        toCategory: 'in_progress',
      },
      { at: iso(since), from: 'In Progress', to: 'Blocked', fromCategory: 'in_progress', toCategory: 'in_progress' },
    ],
  });
}

/**
 * Carried over sprint after sprint: in progress far longer than the team usually takes (twice its p85 of about
 * three weeks: the demo's issues wait for reviews, and some are put on hold).
 */
function addAgingIssue(deps: SprintDeps, board: Board, sprint: SprintPlan): void {
  const { team } = board;
  const key = nextKey(board);
  const aging = team.members[4 % team.members.length]!;
  const since = previousWorking(deps.end - 45 * DAY, deps.hoursOf(aging));
  sprint.committed.push(`jira-${key}`);
  deps.out.workItems.push({
    id: `jira-${key}`,
    source: 'jira',
    kind: 'story',
    key,
    title: stuckTitles(team).aging,
    state: 'In Progress',
    statusCategory: 'in_progress',
    team: team.id,
    author: team.members[0]!,
    assignees: [aging],
    createdAt: iso(deps.end - 50 * DAY),
    updatedAt: iso(since),
    storyPoints: 8,
    sprint: sprint.id,
    transitions: [{ at: iso(since), from: 'To Do', to: 'In Progress', fromCategory: 'todo', toCategory: 'in_progress' }],
  });
}

function addOverdueIssue(deps: SprintDeps, board: Board, sprint: SprintPlan): void {
  const { team } = board;
  const key = nextKey(board);
  sprint.committed.push(`jira-${key}`);
  deps.out.workItems.push({
    id: `jira-${key}`,
    source: 'jira',
    kind: 'task',
    key,
    title: stuckTitles(team).overdue,
    state: 'To Do',
    statusCategory: 'todo',
    team: team.id,
    author: team.members[0]!,
    assignees: [team.members[2 % team.members.length]!],
    createdAt: iso(sprint.start - 5 * DAY),
    updatedAt: iso(sprint.start - 5 * DAY),
    dueAt: iso(deps.end - 3 * DAY),
    storyPoints: 2,
    sprint: sprint.id,
    transitions: [],
  });
}
