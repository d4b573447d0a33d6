import { compact } from '../../kernel/store/row-mapping.js';
import { opt } from '../../records/store/records.js';
import type { AiUsage } from './ai-usage-model.js';
import type { AiUsageInsert, AiUsageRow } from './schema.js';

/** The key that makes a later usage report of the same day, tool and subject replace the earlier. */
export const aiUsageSubject = (usage: Pick<AiUsage, 'person' | 'team'>): string =>
  usage.person !== undefined ? `person:${usage.person}` : usage.team !== undefined ? `team:${usage.team}` : 'org';
/** Maps an AI usage day to its `ai_usage` row. */
export const aiUsageToRow = (w: string, usage: AiUsage): AiUsageInsert => ({
  workspace: w,
  day: usage.day,
  tool: usage.tool,
  subject: aiUsageSubject(usage),
  personId: usage.person,
  teamId: usage.team,
  activeUsers: usage.activeUsers,
  interactions: usage.interactions,
  codeGenerations: usage.codeGenerations,
  acceptances: usage.acceptances,
  linesSuggested: usage.linesSuggested,
  linesAccepted: usage.linesAccepted,
});
/** Maps an `ai_usage` row. */
export const aiUsageFromRow = (row: AiUsageRow): AiUsage =>
  compact({
    day: row.day,
    person: opt(row.personId),
    team: opt(row.teamId),
    tool: row.tool,
    activeUsers: row.activeUsers,
    interactions: row.interactions,
    codeGenerations: row.codeGenerations,
    acceptances: row.acceptances,
    linesSuggested: row.linesSuggested,
    linesAccepted: row.linesAccepted,
  });
