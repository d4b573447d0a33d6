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
 * Summarizes value columns of `rows` in one statement, inside the store: the rows are materialized once,
 * each column is ranked with `row_number()` over its sort order, and only the (at most two) ranks each
 * percentile needs come back to JavaScript, which interpolates linearly between them exactly like numpy's
 * default (`(n - 1) * p`, then `x[lo] + (x[lo + 1] - x[lo]) * fraction`). NULL values are ignored per column.
 *
 * `top` also returns, from the same materialized rows, the first `count` of them in `orderBy` order (as records
 * of the listed `fields`, shaped as `T`), so a caller that needs both does not evaluate `rows` twice.
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
  const stats = join(
    columns.map((column, c) => raw(`count("${column}") AS n${c}, max("${column}") AS m${c}`)),
    ', ',
  );
  const ranked = columns.map((column, c) =>
    raw(`, r${c} AS (SELECT "${column}" AS x, row_number() OVER (ORDER BY "${column}") - 1 AS i FROM v WHERE "${column}" IS NOT NULL)`),
  );
  const picks = columns.map((_, c) => {
    const ranks = join(
      percentiles.map((p) => sql`CAST((${raw(`k.n${c}`)} - 1) * ${p} AS INTEGER)`),
      ', ',
    );
    const r = raw(`r${c}`);
    return sql`SELECT ${c} AS c, ${raw(`k.n${c}`)} AS n, ${raw(`k.m${c}`)} AS m, ${r}.i AS i, ${r}.x AS x
      FROM k LEFT JOIN ${r} ON ${r}.i IN (${ranks}) OR ${r}.i - 1 IN (${ranks})`;
  });
  if (top) {
    const fields = top.fields.map((field) => `'${field}', "${field}"`).join(', ');
    picks.push(
      sql`SELECT -1 AS c, NULL AS n, NULL AS m, NULL AS i, (SELECT json_group_array(json_object(${raw(fields)}))
        FROM (SELECT * FROM v ORDER BY ${raw(top.orderBy)} LIMIT ${top.count})) AS x`,
    );
  }
  // Row `c` = -1 carries the top rows as JSON in `x`; the others a column's count `n`, max `m` and the value `x` at rank `i`.
  const found = await db.all<{ c: number; n: number | null; m: number | null; i: number | null; x: number | string | null }>(
    sql`WITH v AS MATERIALIZED (${rows}), k AS (SELECT ${stats} FROM v)${join(ranked, '')} ${join(picks, ' UNION ALL ')}`,
  );
  const topRows = found.find((row) => row.c === -1);
  const result = {} as Record<C, Distribution>;
  columns.forEach((column, c) => {
    const mine = found.filter((row) => row.c === c);
    const count = mine[0]?.n ?? 0;
    const at = new Map(mine.flatMap((row) => (row.i === null ? [] : [[row.i, row.x as number] as const])));
    const values = new Map<number, number | null>();
    for (const p of percentiles)
      values.set(
        p,
        percentile(count, p, (i) => at.get(i)!),
      );
    result[column] = { count, max: count === 0 ? null : (mine[0]?.m ?? null), percentiles: values };
  });
  return Object.assign(result, { top: topRows ? (JSON.parse(topRows.x as string) as T[]) : [] });
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

/**
 * {@link distributions} of one column for row sets that stay small (incidents): the non-NULL values come back
 * sorted in one short statement and are summarized here, with the same interpolation. A short statement costs
 * far less to prepare than the ranked one, which is most of the cost when the rows are few.
 */
export async function fewDistribution(db: StoreReader, rows: Sql, column: string, percentiles: readonly number[]): Promise<Distribution> {
  const name = raw(`"${column}"`);
  const found = await db.all<{ x: number }>(sql`SELECT ${name} AS x FROM (${rows}) WHERE ${name} IS NOT NULL ORDER BY 1`);
  const values = found.map((row) => row.x);
  return {
    count: values.length,
    max: values.length === 0 ? null : values[values.length - 1]!,
    percentiles: new Map(percentiles.map((p) => [p, percentile(values.length, p, (i) => values[i]!)])),
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
