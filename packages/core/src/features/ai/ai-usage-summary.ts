import { columns, integer, text } from '../../kernel/store/row-decoder.js';
import { sql } from '../../kernel/store/sql.js';
import type { StoreReader } from '../../spec/store-reader.js';

/** What {@link summarizeAiUsage} reads: days `YYYY-MM-DD`, `[from, to)`, a team's members or the organisation. */
export interface AiUsageQuery {
  from: string;
  to: string;
  team?: string;
}

/** One tool's usage over the window. */
export interface AiToolUsage {
  tool: string;
  /** Days with usage. */
  days: number;
  /** Mean people active per day with usage. */
  activeUsersPerDay: number;
  /** Distinct people seen (rows per person only; the organisation's rows name no one). */
  people: number;
  interactions: number;
  codeGenerations: number;
  acceptances: number;
  /** acceptances ÷ code generations; `null` without generations. */
  acceptanceRate: number | null;
  linesSuggested: number;
  linesAccepted: number;
}

/** AI tool usage next to delivery (the usage part of `ai_impact`). */
export interface AiUsageSummary {
  tools: AiToolUsage[];
}

/** One tool's sums over the window: days with usage, people active summed over those days, the rest summed over rows. */
const toolTotals = columns({
  tool: text,
  days: integer,
  active: integer,
  people: integer,
  interactions: integer,
  generations: integer,
  acceptances: integer,
  suggested: integer,
  accepted: integer,
});

/**
 * Sums `ai_usage` per tool over the window. For a team: its members' rows and rows reported for the team. For the
 * organisation: each day's organisation row where a report gave one, else that day's rows per person (never both, so
 * nothing is counted twice).
 */
export async function summarizeAiUsage(db: StoreReader, query: AiUsageQuery): Promise<AiUsageSummary> {
  const w = db.workspace;
  const scoped = query.team
    ? sql`SELECT * FROM ai_usage u WHERE u.workspace = ${w} AND u.day >= ${query.from} AND u.day < ${query.to}
            AND (u.team_id = ${query.team}
                 OR u.person_id IN (SELECT person_id FROM memberships WHERE workspace = ${w} AND team_id = ${query.team}))`
    : sql`SELECT * FROM ai_usage u WHERE u.workspace = ${w} AND u.day >= ${query.from} AND u.day < ${query.to}
            AND (u.subject = 'org'
                 OR (u.person_id IS NOT NULL AND NOT EXISTS (
                      SELECT 1 FROM ai_usage o WHERE o.workspace = u.workspace AND o.day = u.day AND o.tool = u.tool AND o.subject = 'org')))`;
  const rows = await db.all(
    toolTotals,
    sql`
    WITH scoped AS (${scoped}),
    per_day AS (SELECT tool, day, sum(active_users) AS active FROM scoped GROUP BY tool, day)
    SELECT s.tool,
           (SELECT count(*) FROM per_day d WHERE d.tool = s.tool) AS days,
           (SELECT coalesce(sum(active), 0) FROM per_day d WHERE d.tool = s.tool) AS active,
           count(DISTINCT s.person_id) AS people,
           sum(s.interactions) AS interactions, sum(s.code_generations) AS generations, sum(s.acceptances) AS acceptances,
           sum(s.lines_suggested) AS suggested, sum(s.lines_accepted) AS accepted
    FROM scoped s GROUP BY s.tool ORDER BY s.tool`,
  );
  return {
    tools: rows.map((r) => ({
      tool: r.tool,
      days: r.days,
      activeUsersPerDay: r.days === 0 ? 0 : Math.round((r.active / r.days) * 100) / 100,
      people: r.people,
      interactions: r.interactions,
      codeGenerations: r.generations,
      acceptances: r.acceptances,
      acceptanceRate: r.generations === 0 ? null : Math.round((r.acceptances / r.generations) * 10_000) / 10_000,
      linesSuggested: r.suggested,
      linesAccepted: r.accepted,
    })),
  };
}
