import type { MetricResult, Sql, StoreReader } from '@teamstate/core';
import { columns, flag, integer, join, nullable, raw, real, scalar, sql, text } from '@teamstate/core/store';
import { hours } from './scope.js';

/** A value of an inexact column, with the index of its column. */
const valueRows = columns({ c: integer, x: real });

/** Count, maximum and percentiles of one value column (`null` where there are no values). */
export interface Distribution {
  count: number;
  max: number | null;
  /** Keyed by the requested percentile as a fraction (0.5, 0.9). */
  percentiles: Map<number, number | null>;
}

/**
 * Summarizes value columns of `rows` in one statement and one pass over them: each column's values come back as one
 * JSON array, are sorted here, and the percentiles are interpolated linearly exactly like numpy's default
 * (`(n - 1) * p`, then `x[lo] + (x[lo + 1] - x[lo]) * fraction`). NULL values are ignored per column. JSON writes whole
 * numbers below 10^15 exactly, integers or REALs (arithmetic with a bound number gives a REAL); SQLite writes a
 * fractional REAL with 15 significant digits, which does not always give the same double back, so a column holding one
 * (none of the built-in metrics' millisecond or line counts does) is read as rows by a second statement instead:
 * every value is the stored one, bit for bit.
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
  const arrays = columns.map((column, c) => {
    const x = `"${column}"`;
    // 1 when a value is not a whole number below 10^15 (a fractional REAL, which JSON would round), else 0; NULL for none.
    return raw(
      `json_group_array(${x}) FILTER (WHERE ${x} IS NOT NULL) AS a${c}, max(${x} <> CAST(${x} AS INTEGER) OR abs(${x}) >= 1e15) AS f${c}`,
    );
  });
  if (top) {
    const fields = top.fields.map((field) => `'${field}', "${field}"`).join(', ');
    arrays.push(
      sql`(SELECT json_group_array(json_object(${raw(fields)})) FROM (SELECT * FROM v ORDER BY ${raw(top.orderBy)} LIMIT ${top.count})) AS top`,
    );
  }
  // Used once, `v` is folded into the aggregate; with `top` it is read twice, so it is materialized once.
  // One row: a JSON array `a<c>` and an inexact flag `f<c>` (NULL without values) per column, and `top`.
  const found = await db.all(
    sql`WITH v AS ${raw(top ? 'MATERIALIZED' : 'NOT MATERIALIZED')} (${rows}) SELECT ${join(arrays, ', ')} FROM v`,
  );
  const values = columns.map((_, c) => JSON.parse(scalar(found, `a${c}`, text)) as number[]);
  const inexact = columns.flatMap((column, c) => (scalar(found, `f${c}`, nullable(flag)) === true ? [{ column, c }] : []));
  if (inexact.length > 0) {
    const asRows = join(
      inexact.map(({ column, c }) => {
        values[c] = [];
        return sql`SELECT ${c} AS c, ${raw(`"${column}"`)} AS x FROM v WHERE ${raw(`"${column}"`)} IS NOT NULL`;
      }),
      ' UNION ALL ',
    );
    for (const { c, x } of await db.all(valueRows, sql`WITH v AS NOT MATERIALIZED (${rows}) ${asRows}`)) values[c]!.push(x);
  }
  const result = {} as Record<C, Distribution>;
  columns.forEach((column, c) => {
    result[column] = summarize(Float64Array.from(values[c]!).sort(), percentiles);
  });
  return Object.assign(result, { top: top ? (JSON.parse(scalar(found, 'top', text)) as T[]) : [] });
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

/** A duration metric's summary: p50 (also the `value`), p75, p90 and count, in hours. */
export interface DurationSummary extends MetricResult {
  value: number | null;
  unit: 'hours';
  p50: number | null;
  p75: number | null;
  p90: number | null;
  count: number;
}

/** Summarizes one duration column (milliseconds) of `rows` as {@link DurationSummary}. */
export async function durationSummary(db: StoreReader, rows: Sql, column: string): Promise<DurationSummary> {
  const { [column]: d } = await distributions(db, rows, [column], [0.5, 0.75, 0.9]);
  const p50 = hours(d!.percentiles.get(0.5));
  return { value: p50, unit: 'hours', p50, p75: hours(d!.percentiles.get(0.75)), p90: hours(d!.percentiles.get(0.9)), count: d!.count };
}
