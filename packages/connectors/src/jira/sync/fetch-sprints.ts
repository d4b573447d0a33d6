import type { Logger, Sprint } from '@teamstate/core';
import type { Board, Sprint as JiraSprint } from 'jira.js/agile';
import type { JiraApi } from '../client/jira-api.js';
import { JiraRequestError } from '../client/jira-request-error.js';
import { jiraInstant } from '../map/jira-time.js';
import { sprintRecordId } from '../map/map-issue.js';

/** A sprint as synced: the record (without committed items) and its Jira id and start. */
export interface SyncedSprint {
  jiraId: number;
  record: Sprint;
  /** When it started (epoch ms); set for active and closed sprints. */
  startedAt?: number;
}

/** The scrum-capable boards to read sprints from: the configured ones, or every non-kanban board of the projects. */
export async function fetchBoards(
  api: JiraApi,
  projects: readonly string[],
  configured: readonly number[] | undefined,
  onPage: () => void,
): Promise<{ board: Board; project?: string }[]> {
  if (configured) {
    const boards = [];
    for (const id of configured) {
      boards.push({ board: await api.getBoard(id) });
      onPage();
    }
    return boards;
  }
  const seen = new Map<number, { board: Board; project?: string }>();
  for (const project of projects) {
    for (let startAt = 0; ; ) {
      let page: { values: Board[]; isLast: boolean };
      try {
        page = await api.getBoards(project, startAt);
      } catch (error) {
        // Sites without Jira Software have no boards (and no sprints) to read.
        if (error instanceof JiraRequestError && error.statusCode === 404) return [];
        throw error;
      }
      onPage();
      for (const board of page.values)
        if (board.id !== undefined && board.type !== 'kanban' && !seen.has(board.id)) seen.set(board.id, { board, project });
      if (page.isLast || page.values.length === 0) break;
      startAt += page.values.length;
    }
  }
  return [...seen.values()];
}

/**
 * Every sprint (future, active, closed) of the boards, once each (a sprint can show on several boards),
 * with the team of the project its origin board lives in. Sprints without dates (future sprints nobody
 * planned yet) cannot be stored and are left out; so are boards whose project has no team.
 */
export async function fetchSprints(
  api: JiraApi,
  boards: readonly { board: Board; project?: string }[],
  teamOf: (projectKey: string) => string | undefined,
  log: Logger,
  onPage: () => void,
): Promise<SyncedSprint[]> {
  const teamOfBoard = new Map<number, string | undefined>();
  for (const { board, project } of boards) {
    const key = board.location?.projectKey;
    teamOfBoard.set(board.id ?? 0, (key ? teamOf(key) : undefined) ?? (project ? teamOf(project) : undefined));
  }
  const sprints = new Map<number, SyncedSprint>();
  for (const { board } of boards) {
    const boardId = board.id ?? 0;
    const boardTeam = teamOfBoard.get(boardId);
    if (!boardTeam) {
      log.warn(
        `jira: board ${boardId} ("${board.name ?? ''}") belongs to no synced project with a team; its sprints are skipped (add its project to jira.projects)`,
      );
      continue;
    }
    for (let startAt = 0; ; ) {
      let page: { values: JiraSprint[]; isLast: boolean };
      try {
        page = await api.getSprints(boardId, startAt);
      } catch (error) {
        // Boards without sprints (team-managed kanban, "simple" boards with sprints off) answer 400.
        if (error instanceof JiraRequestError && error.statusCode === 400) break;
        throw error;
      }
      onPage();
      for (const sprint of page.values) {
        if (sprint.id === undefined || sprints.has(sprint.id)) continue;
        const startedAt = jiraInstant(sprint.startDate);
        const endAt = jiraInstant(sprint.endDate);
        const state: Sprint['state'] = sprint.state === 'active' ? 'active' : sprint.state === 'closed' ? 'closed' : 'future';
        if (startedAt === undefined || endAt === undefined) continue;
        const completedAt = jiraInstant(sprint.completeDate);
        const team = (sprint.originBoardId !== undefined ? teamOfBoard.get(sprint.originBoardId) : undefined) ?? boardTeam;
        sprints.set(sprint.id, {
          jiraId: sprint.id,
          record: {
            id: sprintRecordId(sprint.id),
            name: sprint.name || `Sprint ${sprint.id}`,
            team,
            state,
            startAt: new Date(startedAt).toISOString(),
            endAt: new Date(endAt).toISOString(),
            ...(completedAt !== undefined && state === 'closed' ? { completedAt: new Date(completedAt).toISOString() } : {}),
          },
          ...(state === 'future' ? {} : { startedAt }),
        });
      }
      if (page.isLast || page.values.length === 0) break;
      startAt += page.values.length;
    }
  }
  return [...sprints.values()];
}
