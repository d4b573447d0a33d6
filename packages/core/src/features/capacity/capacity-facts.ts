import { addDays, localDay, startOfLocalDay } from '../../kernel/model/local-day.js';
import { columns, integer, nullable, text } from '../../kernel/store/row-decoder.js';
import type { SqlValue } from '../../kernel/store/sql-types.js';

// What a capacity plan stands on, read through one query function so that the SDK (the store) and the
// `sprint.overcommitted` detector (a read-only store reader) read the same facts the same way.

/** Runs one query: the SDK passes the store's, a detector its reader's. */
export type Query = (text: string, args: SqlValue[]) => Promise<readonly object[]>;

export const DAY_MS = 86_400_000;
/** Days of history the throughput is drawn from: the twelve weeks before the window. */
export const HISTORY_DAYS = 84;

/** The day an instant falls on in a time zone: the team's days are the workspace's clock's. */
export const dayOf = (ms: number, timeZone = 'UTC') => localDay(ms, timeZone);
export const startOf = (day: string) => Date.parse(`${day}T00:00:00Z`);
export const isWeekday = (day: string) => {
  const weekday = new Date(startOf(day)).getUTCDay();
  return weekday !== 0 && weekday !== 6;
};

/** The days from `from` to `to`, both included. */
export function daysBetween(from: string, to: string): string[] {
  const out: string[] = [];
  for (let day = from; day <= to; day = addDays(day, 1)) out.push(day);
  return out;
}

const sprintRow = columns({ id: text, name: text, team: text, state: text, start_at: integer, end_at: integer, committed: integer });
const memberRow = columns({ person: text });
const absenceRow = columns({ person: text, from_day: text, to_day: text });
const countRow = columns({ n: integer });
const doneRow = columns({ done_at: nullable(integer) });

/** A sprint with its committed items. */
export type SprintFacts = ReturnType<typeof sprintRow.one>;

const SPRINT_SQL = `SELECT s.id, s.name, s.team_id AS team, s.state, s.start_at, s.end_at,
   (SELECT count(*) FROM sprint_committed_items c WHERE c.workspace = s.workspace AND c.sprint_id = s.id) AS committed
 FROM sprints s WHERE s.workspace = ?`;

/** A sprint's first and last day on `timeZone`'s clock. */
export function sprintWindow(sprint: SprintFacts, timeZone: string): { from: string; to: string } {
  return { from: dayOf(sprint.start_at, timeZone), to: dayOf(sprint.end_at, timeZone) };
}

/** One sprint by id, or undefined. */
export async function sprintById(query: Query, workspace: string, id: string): Promise<SprintFacts | undefined> {
  const rows = await query(`${SPRINT_SQL} AND s.id = ?`, [workspace, id]);
  return rows[0] === undefined ? undefined : sprintRow.one(rows[0]);
}

/** The team's active sprint (the latest started), else its next future one. */
export async function currentSprint(query: Query, workspace: string, team: string): Promise<SprintFacts | undefined> {
  const rows = await query(
    `${SPRINT_SQL} AND s.team_id = ? AND s.state IN ('active', 'future') ORDER BY s.state = 'active' DESC,
       CASE WHEN s.state = 'active' THEN -s.start_at ELSE s.start_at END LIMIT 1`,
    [workspace, team],
  );
  return rows[0] === undefined ? undefined : sprintRow.one(rows[0]);
}

/** Active sprints that started in `[since, until)`: the ones `sprint.overcommitted` looks at. */
export async function sprintsStarted(query: Query, workspace: string, since: number, until: number): Promise<SprintFacts[]> {
  return sprintRow.all(
    await query(`${SPRINT_SQL} AND s.state = 'active' AND s.start_at >= ? AND s.start_at < ? ORDER BY s.id`, [workspace, since, until]),
  );
}

/** The team's members, in id order. */
export async function membersOf(query: Query, workspace: string, team: string): Promise<string[]> {
  const rows = await query('SELECT person_id AS person FROM memberships WHERE workspace = ? AND team_id = ? ORDER BY person_id', [
    workspace,
    team,
  ]);
  return memberRow.all(rows).map((row) => row.person);
}

/** Each person's absent days (from `absences`, inclusive ranges) within `[from, to]`. */
export async function absentDays(
  query: Query,
  workspace: string,
  people: readonly string[],
  from: string,
  to: string,
): Promise<Map<string, Set<string>>> {
  const out = new Map<string, Set<string>>(people.map((person) => [person, new Set()]));
  if (people.length === 0) return out;
  const rows = await query(
    `SELECT a.person_id AS person, a.from_day, a.to_day FROM json_each(?2) p
     CROSS JOIN absences a ON a.workspace = ?1 AND a.person_id = p.value WHERE a.to_day >= ?3 AND a.from_day <= ?4`,
    [workspace, JSON.stringify(people), from, to],
  );
  for (const row of absenceRow.all(rows)) {
    const days = out.get(row.person)!;
    for (const day of daysBetween(row.from_day < from ? from : row.from_day, row.to_day > to ? to : row.to_day)) days.add(day);
  }
  return out;
}

/**
 * Items the team finished each day of `[from, from + days)`, days of `timeZone`'s clock: its issues reaching done (on
 * resolution, else closing) when it has any, else its merged pull requests; never both for one piece of work.
 */
export async function doneEachDay(
  query: Query,
  workspace: string,
  team: string,
  from: string,
  days: number,
  timeZone = 'UTC',
): Promise<number[]> {
  const start = startOfLocalDay(from, timeZone);
  const end = startOfLocalDay(addDays(from, days), timeZone);
  const hasIssues =
    countRow.one(
      (
        await query(
          `SELECT count(*) AS n FROM (SELECT 1 FROM work_items WHERE workspace = ? AND team_id = ? AND kind NOT IN ('pull_request', 'epic') LIMIT 1)`,
          [workspace, team],
        )
      )[0] ?? { n: 0 },
    ).n > 0;
  const rows = hasIssues
    ? await query(
        `SELECT resolved_at AS done_at FROM work_items INDEXED BY work_items_team_resolved_idx
           WHERE workspace = ?1 AND team_id = ?2 AND resolved_at >= ?3 AND resolved_at < ?4
             AND kind NOT IN ('pull_request', 'epic') AND status_category = 'done'
           UNION ALL
           SELECT closed_at FROM work_items INDEXED BY work_items_team_resolved_idx
           WHERE workspace = ?1 AND team_id = ?2 AND resolved_at IS NULL AND kind NOT IN ('pull_request', 'epic')
             AND status_category = 'done' AND closed_at >= ?3 AND closed_at < ?4`,
        [workspace, team, start, end],
      )
    : await query(
        `SELECT merged_at AS done_at FROM work_items
         WHERE workspace = ?1 AND team_id = ?2 AND kind = 'pull_request' AND merged_at >= ?3 AND merged_at < ?4`,
        [workspace, team, start, end],
      );
  // Each day's index from its date: a local day is 23 or 25 hours long across a daylight saving change.
  const index = new Map(daysBetween(from, addDays(from, days - 1)).map((day, i) => [day, i]));
  const out = new Array<number>(days).fill(0);
  for (const row of doneRow.all(rows)) {
    const i = row.done_at === null ? undefined : index.get(dayOf(row.done_at, timeZone));
    if (i !== undefined) out[i]! += 1;
  }
  return out;
}
