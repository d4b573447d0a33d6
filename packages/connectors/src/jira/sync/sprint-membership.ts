import type { Changelog } from 'jira.js/cloud';
import { jiraInstant } from '../map/jira-time.js';
import { chronological } from '../map/status-transitions.js';

/** One sprint of an issue's Sprint field. */
export interface SprintRef {
  id: number;
  state?: 'future' | 'active' | 'closed';
  /** When it started (epoch ms), when Jira says. */
  startAt?: number;
  endAt?: number;
}

/** How an issue's sprints changed over time, and what they are now. */
export interface SprintHistory {
  createdAt: number;
  current: number[];
  changes: { at: number; from: number[]; to: number[] }[];
}

const ids = (value: string | null | undefined): number[] =>
  (value ?? '')
    .split(',')
    .map((part) => Number(part.trim()))
    .filter((id) => Number.isInteger(id) && id > 0);

/**
 * Reads the Sprint field's value: Cloud gives objects (`{ id, state, startDate, … }`), Data Center's REST v2
 * strings such as `com.atlassian.greenhopper.service.sprint.Sprint@1f[id=12,state=CLOSED,…]`.
 */
export function sprintRefs(value: unknown): SprintRef[] {
  if (!Array.isArray(value)) return [];
  return value.flatMap((entry): SprintRef[] => {
    if (typeof entry === 'string') {
      const id = Number(/[[,]id=(\d+)/.exec(entry)?.[1]);
      const state = /[[,]state=(\w+)/.exec(entry)?.[1]?.toLowerCase();
      return Number.isInteger(id) && id > 0
        ? [{ id, ...(state === 'future' || state === 'active' || state === 'closed' ? { state } : {}) }]
        : [];
    }
    if (!entry || typeof entry !== 'object') return [];
    const sprint = entry as { id?: unknown; state?: unknown; startDate?: unknown; endDate?: unknown };
    const id = Number(sprint.id);
    if (!Number.isInteger(id) || id <= 0) return [];
    const state = typeof sprint.state === 'string' ? sprint.state.toLowerCase() : undefined;
    const startAt = jiraInstant(sprint.startDate);
    const endAt = jiraInstant(sprint.endDate);
    return [
      {
        id,
        ...(state === 'future' || state === 'active' || state === 'closed' ? { state } : {}),
        ...(startAt === undefined ? {} : { startAt }),
        ...(endAt === undefined ? {} : { endAt }),
      },
    ];
  });
}

/** The Sprint field's changes (field id `sprintField`), oldest first. */
export function sprintHistory(
  histories: readonly Changelog[],
  sprintField: string | undefined,
  createdAt: number,
  current: number[],
): SprintHistory {
  const changes: SprintHistory['changes'] = [];
  for (const { at, history } of chronological(histories)) {
    for (const item of history.items ?? []) {
      const isSprint = sprintField ? item.fieldId === sprintField : item.field === 'Sprint';
      if (isSprint || (item.fieldId === undefined && item.field === 'Sprint')) changes.push({ at, from: ids(item.from), to: ids(item.to) });
    }
  }
  return { createdAt, current, changes };
}

/** Every sprint the issue was ever in. */
export function sprintsEverIn(history: SprintHistory): Set<number> {
  return new Set([...history.current, ...history.changes.flatMap((c) => [...c.from, ...c.to])]);
}

/**
 * The sprints the issue was in at instant `at`: the value after the last change at or before `at`; with
 * no such change, the value before the first later change; with no change at all, the current value.
 * An issue created after `at` was in none.
 */
export function sprintsAt(history: SprintHistory, at: number): Set<number> {
  if (history.createdAt > at) return new Set();
  let before: SprintHistory['changes'][number] | undefined;
  for (const change of history.changes) if (change.at <= at) before = change;
  if (before) return new Set(before.to);
  const after = history.changes.find((change) => change.at > at);
  return new Set(after ? after.from : history.current);
}
