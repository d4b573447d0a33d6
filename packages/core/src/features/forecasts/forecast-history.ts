import { addDays } from '../../kernel/model/local-day.js';
import type { InValue } from '../../kernel/store/driver.js';
import type { Store } from '../../kernel/store/open-store.js';
import { columns, integer, text } from '../../kernel/store/row-decoder.js';
import { checkKnown, invalid } from '../../records/arguments.js';

/** What `ts.forecast` reads through. */
export interface ForecastDeps {
  store: Store;
  workspace: string;
  clock: () => Date;
}

/** What a forecast counts as done: issues, or merged pull requests. */
export type CountedItems = 'issues' | 'pull_requests';

export const DAY_MS = 86_400_000;

const dayCount = columns({ day: integer, n: integer });
const countRow = columns({ n: integer });
const memberRow = columns({ person: text });
const absenceRow = columns({ person: text, from_day: text, to_day: text });

export const dayOf = (ms: number) => new Date(ms).toISOString().slice(0, 10);
export const round = (value: number, places = 4) => Math.round(value * 10 ** places) / 10 ** places;

const execute = (deps: ForecastDeps) => (sql: string, args: InValue[]) => deps.store.execute(sql, args);

/** A whole number argument from `min` to `max`, `fallback` when absent; refused naming the field otherwise. */
export function wholeNumber(field: string, value: unknown, min: number, max: number, what: string, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max)
    throw invalid(
      `${field}: expected a whole number of ${what} from ${min} to ${max.toLocaleString('en-US')}, got ${JSON.stringify(value)}`,
    );
  return value;
}

/** The team a query names: required, and known. */
export async function checkedTeam(deps: ForecastDeps, team: unknown): Promise<string> {
  if (team === undefined) throw invalid('team: expected a team id (teamstate teams list)');
  await checkKnown(execute(deps), deps.workspace, 'team', team);
  return team as string;
}

/** Issues when the team has any, else merged pull requests: never both for one piece of work. */
export async function countedItems(deps: ForecastDeps, team: string): Promise<CountedItems> {
  const { rows } = await deps.store.execute(
    `SELECT count(*) AS n FROM (SELECT 1 FROM work_items WHERE workspace = ? AND team_id = ? AND kind NOT IN ('pull_request', 'epic') LIMIT 1)`,
    [deps.workspace, team],
  );
  return countRow.one(rows[0]!).n > 0 ? 'issues' : 'pull_requests';
}

/** Items done per UTC day in `[fromDay, toDay)`, as an array from `fromDay`. */
export async function dailyCounts(deps: ForecastDeps, team: string, source: CountedItems, from: number, days: number): Promise<number[]> {
  const to = from + days * DAY_MS;
  const { rows } =
    source === 'issues'
      ? // Done on its resolution, else (without one) on its closing: the team's range of resolutions, then its few
        // unresolved issues, both in work_items_team_resolved_idx (not a pass over every done item of the workspace).
        await deps.store.execute(
          `SELECT (done_at - ?3) / 86400000 AS day, count(*) AS n FROM (
             SELECT resolved_at AS done_at FROM work_items INDEXED BY work_items_team_resolved_idx
             WHERE workspace = ?1 AND team_id = ?2 AND resolved_at >= ?3 AND resolved_at < ?4
               AND kind NOT IN ('pull_request', 'epic') AND status_category = 'done'
             UNION ALL
             SELECT closed_at FROM work_items INDEXED BY work_items_team_resolved_idx
             WHERE workspace = ?1 AND team_id = ?2 AND resolved_at IS NULL AND kind NOT IN ('pull_request', 'epic')
               AND status_category = 'done' AND closed_at >= ?3 AND closed_at < ?4)
           GROUP BY 1`,
          [deps.workspace, team, from, to],
        )
      : await deps.store.execute(
          `SELECT (merged_at - ?3) / 86400000 AS day, count(*) AS n FROM work_items
           WHERE workspace = ?1 AND team_id = ?2 AND kind = 'pull_request' AND merged_at >= ?3 AND merged_at < ?4
           GROUP BY 1`,
          [deps.workspace, team, from, to],
        );
  const out = new Array<number>(days).fill(0);
  for (const row of dayCount.all(rows)) {
    // The bound arrives as a REAL: the division is not an integer one.
    const day = Math.floor(row.day);
    if (day >= 0 && day < days) out[day]! += row.n;
  }
  return out;
}

/** The share of the team present each day from `fromDay` for `days` days, and the people-days away. */
export async function presence(
  deps: ForecastDeps,
  team: string,
  fromDay: string,
  days: number,
): Promise<{ present: number[]; absentDays: number }> {
  const w = deps.workspace;
  const members = memberRow.all(
    (await deps.store.execute('SELECT person_id AS person FROM memberships WHERE workspace = ? AND team_id = ?', [w, team])).rows,
  );
  const present = new Array<number>(days).fill(1);
  if (members.length === 0) return { present, absentDays: 0 };
  const lastDay = addDays(fromDay, days - 1);
  const away = absenceRow.all(
    (
      await deps.store.execute(
        `SELECT a.person_id AS person, a.from_day, a.to_day FROM absences a
         JOIN memberships m ON m.workspace = a.workspace AND m.person_id = a.person_id AND m.team_id = ?2
         WHERE a.workspace = ?1 AND a.to_day >= ?3 AND a.from_day <= ?4`,
        [w, team, fromDay, lastDay],
      )
    ).rows,
  );
  const absent = new Array<Set<string>>(days);
  const start = Date.parse(`${fromDay}T00:00:00Z`);
  let absentDays = 0;
  for (const a of away) {
    const first = Math.max(0, Math.round((Date.parse(`${a.from_day}T00:00:00Z`) - start) / DAY_MS));
    const last = Math.min(days - 1, Math.round((Date.parse(`${a.to_day}T00:00:00Z`) - start) / DAY_MS));
    for (let d = first; d <= last; d++) {
      absent[d] ??= new Set();
      if (!absent[d]!.has(a.person)) {
        absent[d]!.add(a.person);
        absentDays++;
      }
    }
  }
  for (let d = 0; d < days; d++) present[d] = 1 - (absent[d]?.size ?? 0) / members.length;
  return { present, absentDays };
}

/** Why a history cannot carry a forecast, or undefined when it can. */
export function insufficient(counts: readonly number[], weeks: number): string | undefined {
  const total = counts.reduce((a, b) => a + b, 0);
  if (total < 10)
    return `too little history: ${total} items done in the last ${weeks} weeks; a forecast needs at least 10 (try more weeks)`;
  const first = counts.findIndex((n) => n > 0);
  if (first > counts.length / 2)
    return `too short a history: the first item done came ${Math.floor((counts.length - first) / 7)} weeks ago, under half of the ${weeks} weeks read`;
  const weekly: number[] = [];
  for (let i = 0; i + 7 <= counts.length; i += 7) weekly.push(counts.slice(i, i + 7).reduce((a, b) => a + b, 0));
  const empty = weekly.filter((n) => n === 0).length;
  if (weekly.length >= 2 && empty > weekly.length / 2)
    return `too irregular a history: no item was done in ${empty} of the last ${weekly.length} weeks`;
  return undefined;
}
