import type { AccountRef, Sprint, StatusCategory, Transition, WorkItem, WorkItemKind } from '@teamstate/core';
import type { LinearCycle, LinearIssue, LinearIssueHistory, LinearUser, LinearWorkflowState } from '../client/linear-types.js';

/** The work item id of a Linear issue: its UUID, which survives moving the issue to another team (the identifier does not). */
export const workItemId = (issueId: string): string => `linear-${issueId}`;

/** The sprint id of a Linear cycle. */
export const cycleRecordId = (cycleId: string): string => `linear-cycle-${cycleId}`;

/** The team a Linear team without a configured owner gets: `linear-<key>`. */
export const linearTeamId = (key: string): string => `linear-${key.toLowerCase()}`;

/** Longest description kept as `body`. */
const MAX_BODY = 20_000;

/** Linear's state types as status categories: triage, backlog and unstarted are to do; completed and canceled are done. */
export function categoryOf(state: Pick<LinearWorkflowState, 'type'>): StatusCategory {
  switch (state.type) {
    case 'started':
      return 'in_progress';
    case 'completed':
    case 'canceled':
      return 'done';
    default:
      return 'todo';
  }
}

/** A Linear user as an account for identity resolution (matched to people by email); app users are not people. */
export function accountRef(user: LinearUser): AccountRef {
  return {
    provider: 'linear',
    id: user.id,
    login: user.displayName,
    name: user.name,
    ...(user.email?.includes('@') ? { email: user.email } : {}),
    // Linear's integrations act as users without an email (and with an `…@linear.linearapp.com`-style address).
    bot: !user.email || /@(?:[a-z0-9-]+\.)?linear\.app$|@linearapp\.com$/i.test(user.email),
  };
}

/** The users an issue names (assignee, creator), for identity resolution. */
export const issueUsers = (issue: LinearIssue): LinearUser[] => [issue.assignee, issue.creator].filter((u): u is LinearUser => u !== null);

/** History entries oldest first (Linear pages them newest first). */
export const chronological = (history: readonly LinearIssueHistory[]): LinearIssueHistory[] =>
  [...history].sort((a, b) => Date.parse(a.createdAt) - Date.parse(b.createdAt));

/** Every state change of an issue, oldest first, with the categories of both states (its creation is not a change). */
export function stateTransitions(history: readonly LinearIssueHistory[]): Transition[] {
  return chronological(history).flatMap((entry) =>
    entry.fromState && entry.toState && entry.fromState.id !== entry.toState.id
      ? [
          {
            at: new Date(entry.createdAt).toISOString(),
            from: entry.fromState.name,
            to: entry.toState.name,
            fromCategory: categoryOf(entry.fromState),
            toCategory: categoryOf(entry.toState),
          },
        ]
      : [],
  );
}

/**
 * The cycle an issue was in at `at` (epoch ms): its cycle now, with the cycle changes after `at` undone; none before the
 * issue existed (an issue created into a running cycle was added to it, not committed).
 */
export function cycleAt(
  issue: Pick<LinearIssue, 'cycle' | 'createdAt'>,
  history: readonly LinearIssueHistory[],
  at: number,
): string | undefined {
  if (Date.parse(issue.createdAt) > at) return undefined;
  let cycle = issue.cycle?.id ?? null;
  for (const entry of chronological(history).reverse()) {
    if (Date.parse(entry.createdAt) <= at) break;
    if (entry.fromCycleId !== entry.toCycleId && (entry.fromCycleId !== null || entry.toCycleId !== null)) cycle = entry.fromCycleId;
  }
  return cycle ?? undefined;
}

function kindOf(issue: LinearIssue): WorkItemKind {
  const labels = issue.labels.nodes.map((l) => l.name.toLowerCase());
  if (labels.includes('bug') || labels.includes('defect')) return 'bug';
  if (issue.parent) return 'task';
  return 'issue';
}

/** What mapping an issue needs besides the issue. */
export interface IssueMappingContext {
  /** The owning team of a Linear team key. */
  teamOf(key: string): string | undefined;
  /** Whether a cycle is stored (work items may only point at stored sprints). */
  isKnownCycle(cycleId: string): boolean;
  /** The person id of a Linear user id (`undefined` for app users and unknown ones). */
  personOf(userId: string): string | undefined;
}

/** Maps an issue and its complete history to a work item (every column, so the upsert is exact). */
export function mapIssue(issue: LinearIssue, history: readonly LinearIssueHistory[], ctx: IssueMappingContext): WorkItem {
  const statusCategory = categoryOf(issue.state);
  const transitions = stateTransitions(history);
  // Linear stamps completion and cancellation; a state moved into done without one falls back to the last move there.
  const resolvedAt =
    statusCategory === 'done'
      ? (issue.completedAt ??
        issue.canceledAt ??
        transitions.filter((t) => t.toCategory === 'done' && t.fromCategory !== 'done').at(-1)?.at ??
        undefined)
      : undefined;
  const team = ctx.teamOf(issue.team.key);
  const author = issue.creator ? ctx.personOf(issue.creator.id) : undefined;
  const assignee = issue.assignee ? ctx.personOf(issue.assignee.id) : undefined;
  const dueAt = issue.dueDate && /^\d{4}-\d{2}-\d{2}$/.test(issue.dueDate) ? `${issue.dueDate}T23:59:59.999Z` : undefined;
  const body = (issue.description ?? '').slice(0, MAX_BODY);
  return {
    id: workItemId(issue.id),
    source: 'linear',
    kind: kindOf(issue),
    key: issue.identifier,
    title: issue.title,
    state: issue.state.name,
    statusCategory,
    ...(team ? { team } : {}),
    ...(author ? { author } : {}),
    assignees: assignee ? [assignee] : [],
    createdAt: new Date(issue.createdAt).toISOString(),
    updatedAt: new Date(issue.updatedAt).toISOString(),
    ...(resolvedAt ? { resolvedAt: new Date(resolvedAt).toISOString() } : {}),
    ...(dueAt ? { dueAt } : {}),
    labels: issue.labels.nodes.map((l) => l.name),
    ...(issue.project ? { components: [issue.project.name] } : {}),
    ...(typeof issue.estimate === 'number' && Number.isFinite(issue.estimate) && issue.estimate >= 0
      ? { storyPoints: issue.estimate }
      : {}),
    ...(issue.cycle && ctx.isKnownCycle(issue.cycle.id) ? { sprint: cycleRecordId(issue.cycle.id) } : {}),
    transitions,
    flagged: issue.state.name.toLowerCase() === 'blocked',
    ...(issue.parent ? { parent: issue.parent.identifier } : {}),
    url: issue.url,
    ...(body ? { body } : {}),
  };
}

/** A cycle as a sprint (without committed items): closed once completed, active from its start, else future. */
export function mapCycle(cycle: LinearCycle, team: string, now: number): Sprint {
  const startAt = new Date(cycle.startsAt).toISOString();
  const state: Sprint['state'] = cycle.completedAt ? 'closed' : Date.parse(cycle.startsAt) <= now ? 'active' : 'future';
  return {
    id: cycleRecordId(cycle.id),
    name: cycle.name || `Cycle ${cycle.number}`,
    team,
    state,
    startAt,
    endAt: new Date(cycle.endsAt).toISOString(),
    ...(cycle.completedAt ? { completedAt: new Date(cycle.completedAt).toISOString() } : {}),
  };
}
