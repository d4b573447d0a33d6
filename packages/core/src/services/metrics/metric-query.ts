import { TeamStateError, unknownId } from '../../kernel/errors.js';
import { formatTimestamp } from '../../kernel/model/timestamp.js';
import type { Store } from '../../kernel/store/open-store.js';
import { columns, flag, scalar, text } from '../../kernel/store/row-decoder.js';
import type { MetricQuery, ResolvedMetricSettings } from '../../spec/metric-calculator.js';
import { DEFAULT_METRIC_WINDOW_DAYS, parseWindowBound } from './metric-defaults.js';
import type { MetricComputeOptions } from './metrics-types.js';

const WEEK_MS = 7 * 24 * 3_600_000;
const DAY_MS = 24 * 3_600_000;

const idRow = columns({ id: text });

/** What a query is resolved and checked against: the facade's workspace, settings, clock and store. */
export interface QueryContext {
  readonly store: Store;
  readonly workspace: string;
  readonly settings: ResolvedMetricSettings;
  /** The injected clock: the end of the default window. */
  readonly clock: () => Date;
}

/** A window bound as epoch milliseconds, or a failure naming the bound and the expected form. */
function instant(name: 'from' | 'to', value: unknown): number {
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) throw new TeamStateError('invalid_argument', `${name}: invalid Date`);
    return value.getTime();
  }
  if (typeof value !== 'string') {
    throw new TeamStateError(
      'invalid_argument',
      `${name}: expected an ISO 8601 timestamp such as 2026-03-01T00:00:00Z, got ${String(value)}`,
    );
  }
  const ms = parseWindowBound(value);
  if (ms === undefined) {
    throw new TeamStateError(
      'invalid_argument',
      `${name}: invalid ISO timestamp "${value}" (expected e.g. 2026-03-01T00:00:00Z or 2026-03-01)`,
    );
  }
  return ms;
}

/** Monday-aligned UTC weeks covering `[from, to)`, the first and last clipped to the window. */
export function weeklyBuckets(from: number, to: number): [number, number][] {
  const day = Math.floor(from / DAY_MS) * DAY_MS;
  const mondayOffset = (new Date(day).getUTCDay() + 6) % 7;
  let boundary = day - mondayOffset * DAY_MS + WEEK_MS;
  const buckets: [number, number][] = [];
  for (let start = from; start < to; boundary += WEEK_MS) {
    const end = Math.min(boundary, to);
    buckets.push([start, end]);
    start = end;
  }
  return buckets;
}

/** The calculators' query for `options`: the window (by default the 30 days before the clock's now) and the scope. */
export function resolveQuery(ctx: QueryContext, options: MetricComputeOptions): MetricQuery {
  if (typeof options !== 'object' || options === null) throw new TeamStateError('invalid_argument', 'query: expected { from, to }');
  const to = instant('to', options.to === undefined ? ctx.clock() : options.to);
  const from = options.from === undefined ? to - DEFAULT_METRIC_WINDOW_DAYS * DAY_MS : instant('from', options.from);
  if (from >= to) {
    throw new TeamStateError('invalid_argument', `from: must be before to (got from ${formatTimestamp(from)}, to ${formatTimestamp(to)})`);
  }
  if (options.granularity !== undefined && options.granularity !== 'week') {
    throw new TeamStateError('invalid_argument', `granularity: expected "week", got ${JSON.stringify(options.granularity)}`);
  }
  if (options.compare !== undefined && options.compare !== 'previous') {
    throw new TeamStateError('invalid_argument', `compare: expected "previous", got ${JSON.stringify(options.compare)}`);
  }
  const { workspace, settings } = ctx;
  return { workspace, from, to, team: options.team, repository: options.repository, person: options.person, settings };
}

/** The scope filters of a query, each with the table its ids are in. */
const FILTERS = [
  ['team', 'teams'],
  ['repository', 'repositories'],
  ['person', 'people'],
] as const;

type Filter = (typeof FILTERS)[number][0];

/** A filter's id, or a failure naming the filter when it is not an id. */
function filterId(argument: Filter, id: unknown): string {
  if (typeof id !== 'string' || id === '') throw new TeamStateError('invalid_argument', `${argument}: expected an id string`);
  return id;
}

/**
 * Checks that the query's team, repository and person exist, all in one statement (one round trip per
 * compute(), none without filters); an unknown one fails naming it, with a suggestion.
 */
export async function checkFilters(ctx: Pick<QueryContext, 'store' | 'workspace'>, options: MetricComputeOptions): Promise<void> {
  const given = FILTERS.flatMap(([argument, table]) =>
    options[argument] === undefined ? [] : [{ argument, table, id: filterId(argument, options[argument]) }],
  );
  if (given.length === 0) return;
  const checks = given.map(({ argument, table }) => `EXISTS (SELECT 1 FROM ${table} WHERE workspace = ? AND id = ?) AS ${argument}`);
  const { rows: found } = await ctx.store.execute(
    `SELECT ${checks.join(', ')}`,
    given.flatMap(({ id }) => [ctx.workspace, id]),
  );
  const missing = given.find(({ argument }) => !scalar(found, argument, flag));
  if (missing === undefined) return;
  const { rows } = await ctx.store.execute(`SELECT id FROM ${missing.table} WHERE workspace = ? ORDER BY id`, [ctx.workspace]);
  throw unknownId(
    missing.argument,
    missing.id,
    idRow.all(rows).map((row) => row.id),
  );
}
