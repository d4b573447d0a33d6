import type { SyncedSprint } from './fetch-sprints.js';
import { type SprintHistory, sprintsAt, sprintsEverIn } from './sprint-membership.js';

/** What the connector remembers per started sprint, in its cursor `sprint:<id>` (stored with the batch that changed it). */
interface ScopeState {
  /** Work item ids that were in the sprint when it started. */
  committed: string[];
  /** Whether issues not synced since the sprint started were looked up too (see `needsScan`). */
  scanned: boolean;
}

/** The cursor key of a sprint's committed scope. */
export const scopeCursor = (jiraSprintId: number): string => `sprint:${jiraSprintId}`;

/**
 * Committed scope of started sprints: the issues in a sprint at its start, from each issue's Sprint field
 * history. An issue's membership at a sprint's start never changes afterwards, so contributions only add
 * up; they are kept in cursors written with each page, so an interrupted sync resumes without losing any.
 */
export interface CommittedScope {
  /** Adds the issue to every started sprint it was in at that sprint's start; returns the sprints that changed. */
  record(workItemId: string, history: SprintHistory): Set<number>;
  /** Cursor values of the given sprints, to store with the batch that changed them. */
  cursors(sprintIds: Iterable<number>): Record<string, string>;
  /** Started sprints whose issues not synced since the start still need a lookup. */
  needsScan(): SyncedSprint[];
  /** Marks a sprint's lookup done. */
  markScanned(jiraSprintId: number): void;
  /** The sprint's committed work item ids (empty for future sprints). */
  committed(jiraSprintId: number): string[];
  /** Drops ids that no longer exist (issues deleted since). */
  retain(jiraSprintId: number, exists: (id: string) => boolean): void;
}

/** Loads the scope state of the sprints from their cursors. */
export async function loadCommittedScope(
  sprints: readonly SyncedSprint[],
  getCursor: (key: string) => Promise<string | undefined>,
): Promise<CommittedScope> {
  const started = new Map<number, { sprint: SyncedSprint; startedAt: number; committed: Set<string>; scanned: boolean }>();
  for (const sprint of sprints) {
    if (sprint.startedAt === undefined) continue;
    const raw = await getCursor(scopeCursor(sprint.jiraId));
    const state: ScopeState = raw ? (JSON.parse(raw) as ScopeState) : { committed: [], scanned: false };
    started.set(sprint.jiraId, { sprint, startedAt: sprint.startedAt, committed: new Set(state.committed), scanned: state.scanned });
  }
  return {
    record(workItemId, history) {
      const changed = new Set<number>();
      for (const id of sprintsEverIn(history)) {
        const entry = started.get(id);
        if (!entry || entry.committed.has(workItemId)) continue;
        if (sprintsAt(history, entry.startedAt).has(id)) {
          entry.committed.add(workItemId);
          changed.add(id);
        }
      }
      return changed;
    },
    cursors(sprintIds) {
      const out: Record<string, string> = {};
      for (const id of sprintIds) {
        const entry = started.get(id);
        if (entry)
          out[scopeCursor(id)] = JSON.stringify({ committed: [...entry.committed].sort(), scanned: entry.scanned } satisfies ScopeState);
      }
      return out;
    },
    needsScan: () => [...started.values()].filter((e) => !e.scanned).map((e) => e.sprint),
    markScanned(id) {
      const entry = started.get(id);
      if (entry) entry.scanned = true;
    },
    committed: (id) => [...(started.get(id)?.committed ?? [])].sort(),
    retain(id, exists) {
      const entry = started.get(id);
      if (entry) for (const item of [...entry.committed]) if (!exists(item)) entry.committed.delete(item);
    },
  };
}
