import { TeamStateError, unknownId } from '../kernel/errors.js';
import { isDay } from '../kernel/model/local-day.js';
import type { InValue } from '../kernel/store/driver.js';
import { columns, text } from '../kernel/store/row-decoder.js';

// Argument checks shared by ts.reports and ts.timeline: one message naming the field and the fix.

const MAX_LIMIT = 500;

/** An `invalid_argument` error. */
export const invalid = (message: string) => new TeamStateError('invalid_argument', message);

export { unknownId } from '../kernel/errors.js';

const idRows = columns({ id: text });

/** Checks an optional id filter (`person`, `team`) against its table. */
export async function checkKnown(
  execute: (sql: string, args: InValue[]) => Promise<{ rows: readonly object[] }>,
  workspace: string,
  argument: 'person' | 'team',
  value: unknown,
): Promise<void> {
  if (value === undefined) return;
  if (typeof value !== 'string' || value === '') throw invalid(`${argument}: expected a ${argument} id`);
  const table = argument === 'person' ? 'people' : 'teams';
  if ((await execute(`SELECT 1 FROM ${table} WHERE workspace = ? AND id = ?`, [workspace, value])).rows.length > 0) return;
  const { rows } = await execute(`SELECT id FROM ${table} WHERE workspace = ? ORDER BY id`, [workspace]);
  throw unknownId(
    argument,
    value,
    idRows.all(rows).map((row) => row.id),
  );
}

/** A day argument (`YYYY-MM-DD`), or a message naming it. */
export function dayArgument(argument: string, value: unknown, example: string): string {
  if (!isDay(value)) throw invalid(`${argument}: expected a day as YYYY-MM-DD, e.g. ${example}, got ${JSON.stringify(value)}`);
  return value;
}

/** A `limit` argument from 1 to `max`. */
export function limitArgument(limit: unknown, fallback: number, max = MAX_LIMIT): number {
  if (limit === undefined) return fallback;
  if (typeof limit !== 'number' || !Number.isInteger(limit) || limit < 1 || limit > max)
    throw invalid(`limit: expected a whole number from 1 to ${max}, got ${JSON.stringify(limit)}`);
  return limit;
}
