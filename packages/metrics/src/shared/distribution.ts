import type { MetricResult, Sql, StoreReader } from '@teamstate/core';
import { join, raw, sql } from '@teamstate/core/store';
import { hours } from './scope.js';

/** Count, maximum and percentiles of one value column (`null` where there are no values). */
export interface Distribution {
  count: number;
  max: number | null;
  /** Keyed by the requested percentile as a fraction (0.5, 0.9). */
  percentiles: Map<number, number | null>;
}

/**
 * Summarizes value columns of `rows` in one statement and one pass over them: each column's whole-number values come
 * back as one JSON array (written exactly), are sorted here, and the percentiles are interpolated linearly exactly like
 * numpy's default (`(n - 1) * p`, then `x[lo] + (x[lo + 1] - x[lo]) * fraction`). NULL values are ignored per column.
 * SQLite writes a fractional REAL to JSON with 15 significant digits, which does not always give the same double back,
 * so a column holding such values (none of the built-in metrics' millisecond or line counts does) has those read as
 * rows by a second statement: every value is the stored one, bit for bit.
 *
 * `top` also returns, from the same rows (then materialized once), the first `count` of them in `orderBy` order (as
 * records of the listed `fields`, shaped as `T`), so a caller that needs both does not evaluate `rows` twice.
 *
 * @param rows a SELECT whose result has the named columns
 * @param columns trusted column names of `rows`
 */
export async function distributions<C extends string, T extends object = Record<string, unknown>>(
  db: StoreReader,
  rows: Sql,
  columns: readonly C[],
  percentiles: readonly number[],
  top?: { fields: readonly string[]; orderBy: string; count: number },
): Promise<Record<C, Distribution> & { top: T[] }> {
  // A value JSON writes exactly: an integer, or an integral REAL (what arithmetic with a bound number gives) other
  // than zero (whose sign JSON drops) below 10^15 (15 digits).
  const integer = (column: string) =>
    `(typeof("${column}") = 'integer' OR (typeof("${column}") = 'real' AND "${column}" = CAST("${column}" AS INTEGER) AND abs("${column}") BETWEEN 1 AND 1e15 - 1))`;
  const arrays = columns.map((column, c) =>
    raw(`json_group_array("${column}") FILTER (WHERE ${integer(column)}) AS a${c}, count("${column}") - count(*) FILTER (WHERE ${integer(column)}) AS f${c}`),
  );
  if (top) {
    const fields = top.fields.map((field) => `'${field}', "${field}"`).join(', ');
    arrays.push(
      sql`(SELECT json_group_array(json_object(${raw(fields)})) FROM (SELECT * FROM v ORDER BY ${raw(top.orderBy)} LIMIT ${top.count})) AS top`,
    );
  }
  // Used once, `v` is folded into the aggregate; with `top` it is read twice, so it is materialized once.
  const found = (await db.get<Record<string, string | number | null>>(
    sql`WITH v AS ${raw(top ? 'MATERIALIZED' : 'NOT MATERIALIZED')} (${rows}) SELECT ${join(arrays, ', ')} FROM v`,
  ))!;
  const values = columns.map((_, c) => JSON.parse(found[`a${c}`] as string) as number[]);
  const withReals = columns.flatMap((column, c) => (Number(found[`f${c}`]) > 0 ? [{ column, c }] : []));
  if (withReals.length > 0) {
    const reals = join(
      withReals.map(({ column, c }) => {
        const name = raw(`"${column}"`);
        return sql`SELECT ${c} AS c, ${name} AS x FROM v WHERE ${name} IS NOT NULL AND NOT ${raw(integer(column))}`;
      }),
      ' UNION ALL ',
    );
    for (const { c, x } of await db.all<{ c: number; x: number }>(sql`WITH v AS NOT MATERIALIZED (${rows}) ${reals}`)) values[c]!.push(x);
  }
  const result = {} as Record<C, Distribution>;
  columns.forEach((column, c) => {
    result[column] = summarize(Float64Array.from(values[c]!).sort(), percentiles);
  });
  return Object.assign(result, { top: top ? (JSON.parse(found.top as string) as T[]) : [] });
}

/**
 * Percentile `p` (a fraction) of `count` ascending values, `x(i)` being the value at rank `i`: numpy's default
 * linear interpolation (`(n - 1) * p`, then `x[lo] + (x[lo + 1] - x[lo]) * fraction`); `null` without values.
 */
function percentile(count: number, p: number, x: (i: number) => number): number | null {
  if (count === 0) return null;
  const position = (count - 1) * p;
  const lo = Math.floor(position);
  const fraction = position - lo;
  const low = x(lo);
  return fraction === 0 ? low : low + (x(lo + 1) - low) * fraction;
}

/** Count, maximum and percentiles of `sorted` (ascending). */
function summarize(sorted: ArrayLike<number>, percentiles: readonly number[]): Distribution {
  const count = sorted.length;
  return {
    count,
    max: count === 0 ? null : sorted[count - 1]!,
    percentiles: new Map(percentiles.map((p) => [p, percentile(count, p, (i) => sorted[i]!)])),
  };
}

/**
 * {@link distributions} of one column for row sets that stay small (incidents): the non-NULL values come back
 * sorted in one short statement and are summarized here, with the same interpolation.
 */
export async function fewDistribution(db: StoreReader, rows: Sql, column: string, percentiles: readonly number[]): Promise<Distribution> {
  const name = raw(`"${column}"`);
  const found = await db.all<{ x: number }>(sql`SELECT ${name} AS x FROM (${rows}) WHERE ${name} IS NOT NULL ORDER BY 1`);
  return summarize(
    found.map((row) => row.x),
    percentiles,
  );
}

/** A duration metric's summary: p50 (also the `value`), p75, p90 and count, in hours. */
export interface DurationSummary extends MetricResult {
  value: number | null;
  unit: 'hours';
  p50: number | null;
  p75: number | null;
  p90: number | null;
  count: number;
}

/**
 * Summarizes one duration column (milliseconds) of `rows` as {@link DurationSummary}; `few` (row sets that stay
 * small, such as incidents) reads them with {@link fewDistribution}, same values.
 */
export async function durationSummary(db: StoreReader, rows: Sql, column: string, { few = false } = {}): Promise<DurationSummary> {
  const levels = [0.5, 0.75, 0.9];
  const d = few ? await fewDistribution(db, rows, column, levels) : (await distributions(db, rows, [column], levels))[column];
  const p50 = hours(d!.percentiles.get(0.5));
  return { value: p50, unit: 'hours', p50, p75: hours(d!.percentiles.get(0.75)), p90: hours(d!.percentiles.get(0.9)), count: d!.count };
}
