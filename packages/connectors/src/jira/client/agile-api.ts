import type { AgileClient } from 'jira.js/agile';
import type { JiraApi } from './jira-api.js';

/** The board and sprint operations: the Agile API is the same on Cloud and Data Center. */
export function agileOperations(agile: AgileClient): Pick<JiraApi, 'getBoards' | 'getBoard' | 'getSprints'> {
  return {
    async getBoards(project, startAt) {
      const page = await agile.board.getAllBoards({ projectKeyOrId: project, startAt });
      return { values: page.values, isLast: page.isLast };
    },
    getBoard: (id) => agile.board.getBoard({ boardId: id }),
    async getSprints(boardId, startAt) {
      const page = await agile.board.getAllSprints({ boardId, startAt });
      return { values: page.values ?? [], isLast: page.isLast ?? true };
    },
  };
}
