import { TeamStateError, unknownId } from '../../kernel/errors.js';
import { formatTimestamp } from '../../kernel/model/timestamp.js';
import type { Store } from '../../kernel/store/open-store.js';
import { gatherReads, readPoolSize, SENT_PER_READER } from '../../kernel/store/read-pool.js';
import { columns, flag, scalar, text } from '../../kernel/store/row-decoder.js';
import { createStoreReader, type StoreReader } from '../../kernel/store/store-reader.js';
import { ensureDeploymentMapping } from '../../records/store/deployment-mapping.js';
import type { MetricCalculator, MetricQuery, MetricResult, ResolvedMetricSettings } from '../../spec/metric-calculator.js';
import type { MetricId } from '../../spec/metric-ids.js';
import { DEFAULT_METRIC_WINDOW_DAYS, defaultMetricIds, parseWindowBound } from './metric-defaults.js';

export { parseWindowBound };

const idRow = columns({ id: text });

/** The query of `ts.metrics.compute()` / `explain()`: a half-open window `[from, to)` and optional scope. */
export interface MetricComputeOptions {
  /**
   * ISO 8601 timestamp with an offset, a date (`2026-03-01`, UTC midnight) or a Date (inclusive);
   * default: `DEFAULT_METRIC_WINDOW_DAYS` (30) days before `to`.
   */
  from?: string | Date;
  /** ISO 8601 timestamp with an offset, a date (`2026-04-01`, UTC midnight) or a Date (exclusive); default: now. */
  to?: string | Date;
  team?: string;
  repository?: string;
  person?: string;
  /** `week` adds a `series` of weekly results (Monday 00:00 UTC boundaries, clipped to the window). */
  granularity?: 'week';
  /**
   * `previous` adds the result over the window of the same length just before (`previous`), `delta` (value minus the
   * previous value, null when either is null) and, for metrics that say which way is better, `trend`.
   */
  compare?: 'previous';
}

/** How a result moved against the previous window, for metrics with a `better` direction. */
export type MetricTrend = 'improving' | 'worsening' | 'unchanged';

/** One entry of the metric catalogue. */
export interface MetricInfo {
  id: string;
  title: string;
  unit: string;
  description: string;
  category?: string;
}

/** One bucket of a weekly series: the result for `[from, to)`. */
export interface MetricSeriesPoint extends MetricResult {
  from: string;
  to: string;
}

/** A result together with the rows behind it and data-quality warnings. */
export interface MetricExplanation {
  id: string;
  title: string;
  unit: string;
  description: string;
  from: string;
  to: string;
  result: MetricResult;
  rows: Record<string, unknown>[];
  warnings: string[];
}

/** `ts.metrics`: the registered metric calculators. */
export interface Metrics {
  /** The catalogue of registered metrics, in registration order. */
  list(): MetricInfo[];
  /**
   * Computes metrics over `[from, to)`; the result is keyed by metric id. Without `ids`, the default set
   * (DORA and flow, as `teamstate metrics`); without `from`/`to`, the 30 days before now.
   * @throws TeamStateError `invalid_argument` naming the bad argument (unknown id, bad date, `from >= to`, unknown team …)
   * @example await ts.metrics.compute(['lead_time_for_changes'], { from: '2026-01-01T00:00:00Z', to: '2026-04-01T00:00:00Z', team: 'payments' })
   */
  compute(ids?: readonly MetricId[], query?: MetricComputeOptions): Promise<Record<string, MetricResult>>;
  /** Computes one metric and lists the rows behind the number plus data-quality warnings. */
  explain(id: MetricId, query?: MetricComputeOptions): Promise<MetricExplanation>;
}

/** What a facade created without `metrics` says when asked for one: the calculators live in another package. */
const NO_METRICS_REGISTERED = 'no metrics are registered: pass `metrics: builtinMetrics` from @teamstate/metrics to createTeamState()';

/** The most distinct queries whose results {@link createMetrics} keeps at one data version; the least recently used goes first. */
const CACHED_QUERIES = 256;

/**
 * How many queries {@link createMetrics} computes at once: on a company-size file their batches run on the read pool's
 * threads (one per core, 2 to 4), each running one and holding the next ones, so more at once only share the same
 * cores.
 */
export const COMPUTED_AT_ONCE = SENT_PER_READER * readPoolSize();

const WEEK_MS = 7 * 24 * 3_600_000;
const DAY_MS = 24 * 3_600_000;

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

/**
 * A copy of a result for one caller, so that changing it changes no later answer: arrays and plain objects (what
 * calculators return) copied here, a quarter of the time of `structuredClone` on a team's default metrics; any other
 * object (a `Date` a custom calculator returned) by `structuredClone`.
 */
function copyOf<T>(value: T): T {
  if (typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) return value.map(copyOf) as T;
  if (Object.getPrototypeOf(value) !== Object.prototype) return structuredClone(value);
  const copy: Record<string, unknown> = {};
  for (const key of Object.keys(value)) {
    const item = copyOf((value as Record<string, unknown>)[key]);
    // An own `__proto__` (from JSON.parse) stays a property: assigned, it would set the copy's prototype.
    if (key === '__proto__') Object.defineProperty(copy, key, { value: item, enumerable: true, writable: true, configurable: true });
    else copy[key] = item;
  }
  return copy as T;
}

/** Builds `ts.metrics` over a store, the registered calculators and the resolved settings. */
export function createMetrics(
  store: Store,
  workspace: string,
  calculators: readonly MetricCalculator[],
  settings: ResolvedMetricSettings,
  /** The injected clock: the end of the default window. */
  clock: () => Date,
): Metrics {
  const byId = new Map(calculators.map((calculator) => [calculator.id, calculator]));
  // Calculators read through a reader of this: no write(), no raw client.
  // The first statement that reads the derived delivery rows (PR → deploying deployment, rework, incident → deployment)
  // makes them current (a rebuild only after a write to their inputs); the others pay nothing for it.
  // They read aside: on a company-size file, on the read pool's threads (as a signals refresh does), so a server's event
  // loop answers other requests meanwhile and two computations use two cores; elsewhere on the store's own connection.
  // One computation's metrics start together, and the statements they ask for at once go as one batch (see
  // gatherReads): on the threads, one round trip for the default metrics instead of one per metric.
  const readerOf = (read: Store['readAside']) => {
    let mapped: Promise<unknown> | undefined;
    return createStoreReader(
      {
        execute: async (text, args) => {
          if (text.includes('pull_request_deployments') || text.includes('deployment_rework') || text.includes('incident_deployments')) {
            mapped ??= ensureDeploymentMapping(store, workspace, settings);
            await mapped;
          }
          return read(text, args);
        },
      },
      workspace,
    );
  };

  function calculator(id: unknown, argument: string): MetricCalculator {
    const found = typeof id === 'string' ? byId.get(id) : undefined;
    if (found) return found;
    if (byId.size === 0) throw unknownId(argument, id, [], { what: 'metric', listAs: '', list: 'always', none: NO_METRICS_REGISTERED });
    throw unknownId(argument, id, [...byId.keys()], { what: 'metric', listAs: 'valid ids: ', list: 'always' });
  }

  const FILTERS = [
    ['team', 'teams'],
    ['repository', 'repositories'],
    ['person', 'people'],
  ] as const;

  /**
   * Checks that the query's team, repository and person exist, all in one statement (one round trip per
   * compute(), none without filters); an unknown one fails naming it, with a suggestion.
   */
  async function known(options: MetricComputeOptions): Promise<void> {
    const given = FILTERS.filter(([argument]) => options[argument] !== undefined);
    if (given.length === 0) return;
    for (const [argument] of given) {
      const id = options[argument];
      if (typeof id !== 'string' || id === '') throw new TeamStateError('invalid_argument', `${argument}: expected an id string`);
    }
    const checks = given.map(([argument, table]) => `EXISTS (SELECT 1 FROM ${table} WHERE workspace = ? AND id = ?) AS ${argument}`);
    const { rows: found } = await store.execute(
      `SELECT ${checks.join(', ')}`,
      given.flatMap(([argument]) => [workspace, options[argument]!]),
    );
    const missing = given.find(([argument]) => !scalar(found, argument, flag));
    if (missing === undefined) return;
    const [argument, table] = missing;
    const id = options[argument]!;
    const { rows } = await store.execute(`SELECT id FROM ${table} WHERE workspace = ? ORDER BY id`, [workspace]);
    throw unknownId(
      argument,
      id,
      idRow.all(rows).map((row) => row.id),
    );
  }

  function resolve(options: MetricComputeOptions): MetricQuery {
    if (typeof options !== 'object' || options === null) throw new TeamStateError('invalid_argument', 'query: expected { from, to }');
    const to = instant('to', options.to === undefined ? clock() : options.to);
    const from = options.from === undefined ? to - DEFAULT_METRIC_WINDOW_DAYS * DAY_MS : instant('from', options.from);
    if (from >= to) {
      throw new TeamStateError(
        'invalid_argument',
        `from: must be before to (got from ${formatTimestamp(from)}, to ${formatTimestamp(to)})`,
      );
    }
    if (options.granularity !== undefined && options.granularity !== 'week') {
      throw new TeamStateError('invalid_argument', `granularity: expected "week", got ${JSON.stringify(options.granularity)}`);
    }
    if (options.compare !== undefined && options.compare !== 'previous') {
      throw new TeamStateError('invalid_argument', `compare: expected "previous", got ${JSON.stringify(options.compare)}`);
    }
    return { workspace, from, to, team: options.team, repository: options.repository, person: options.person, settings };
  }

  async function run(metric: MetricCalculator, query: MetricQuery, options: MetricComputeOptions, db: StoreReader): Promise<MetricResult> {
    const result: MetricResult = { ...(await metric.compute(db, query)) };
    if (options.granularity === 'week') {
      const series: MetricSeriesPoint[] = [];
      for (const [from, to] of weeklyBuckets(query.from, query.to)) {
        const point = await metric.compute(db, { ...query, from, to });
        series.push({ from: formatTimestamp(from), to: formatTimestamp(to), ...point });
      }
      result.series = series;
    }
    if (options.compare === 'previous') Object.assign(result, await comparison(metric, query, result.value, db));
    return result;
  }

  /** The result over the window of the same length just before the query's, the delta and the trend. */
  async function comparison(metric: MetricCalculator, query: MetricQuery, value: number | null, db: StoreReader) {
    const from = query.from - (query.to - query.from);
    const previous = await metric.compute(db, { ...query, from, to: query.from });
    const delta = value === null || previous.value === null ? null : value - previous.value;
    const trend: MetricTrend | undefined =
      delta === null || metric.better === undefined
        ? undefined
        : delta === 0
          ? 'unchanged'
          : delta > 0 === (metric.better === 'higher')
            ? 'improving'
            : 'worsening';
    return {
      previous: { from: formatTimestamp(from), to: formatTimestamp(query.from), ...previous },
      delta,
      ...(trend ? { trend } : {}),
    };
  }

  /**
   * The results of the latest queries at the store's data version (`Store.dataVersion`): the same query again, while
   * nothing was committed, is answered from them, and identical queries at once share one computation. A calculator is a
   * function of the store and the query, so nothing else can change its result. None kept where the version cannot be
   * known (a libSQL server, a replica).
   */
  let cachedVersion: string | undefined;
  const cached = new Map<string, Promise<Record<string, MetricResult>>>();

  // Queries computed at once: the others wait their turn, first come first served, so a server's many callers are
  // answered one query after another instead of all together at the end, and a query answered from its last result
  // (above) never waits for them.
  let computing = 0;
  const turns: (() => void)[] = [];

  /**
   * Computes the metrics together, once one of the {@link COMPUTED_AT_ONCE} turns is free: their statements go in
   * batches (see {@link gatherReads}), on the store's own connection with the event loop turning before each statement
   * (a server answers other requests meanwhile).
   */
  async function computeAll(metrics: MetricCalculator[], query: MetricQuery, options: MetricComputeOptions) {
    if (computing < COMPUTED_AT_ONCE) computing++;
    else await new Promise<void>((resolve) => turns.push(resolve));
    try {
      const gathering = gatherReads((statements) => store.readAsideBatch(statements));
      const together = readerOf(gathering.read);
      const computed = await gathering.all(metrics.map((metric) => () => run(metric, query, options, together)));
      const results: Record<string, MetricResult> = {};
      metrics.forEach((metric, i) => {
        results[metric.id] = computed[i]!;
      });
      return results;
    } finally {
      // The turn goes to the first waiting query, if any.
      const next = turns.shift();
      if (next) next();
      else computing--;
    }
  }

  return {
    list: () =>
      calculators.map(({ id, title, unit, description, category }) =>
        category === undefined ? { id, title, unit, description } : { id, title, unit, description, category },
      ),
    async compute(ids = defaultMetricIds(calculators), options = {}) {
      if (!Array.isArray(ids) || ids.length === 0) {
        if (byId.size === 0) throw new TeamStateError('invalid_argument', `ids: ${NO_METRICS_REGISTERED}`);
        throw new TeamStateError(
          'invalid_argument',
          `ids: expected a non-empty list of metric ids; valid ids: ${[...byId.keys()].join(', ')}`,
        );
      }
      const metrics = ids.map((id, index) => calculator(id, `ids[${index}]`));
      const query = resolve(options);
      const version = await store.dataVersion();
      // The filters are checked with the first computation of a query: one answered from its last result, at the same
      // data version, had them checked then.
      if (version === undefined) return known(options).then(() => computeAll(metrics, query, options));
      if (version !== cachedVersion) {
        cached.clear();
        cachedVersion = version;
      }
      const key = JSON.stringify([
        metrics.map((metric) => metric.id),
        query.from,
        query.to,
        query.team ?? null,
        query.repository ?? null,
        query.person ?? null,
        options.granularity ?? null,
        options.compare ?? null,
      ]);
      let pending = cached.get(key);
      if (pending) cached.delete(key);
      else {
        const computing = known(options).then(() => computeAll(metrics, query, options));
        computing.catch(() => {
          if (cached.get(key) === computing) cached.delete(key);
        });
        pending = computing;
      }
      // Most recently used last: the first key is the one forgotten.
      cached.set(key, pending);
      if (cached.size > CACHED_QUERIES) cached.delete(cached.keys().next().value!);
      return copyOf(await pending);
    },
    async explain(id, options = {}) {
      const metric = calculator(id, 'id');
      const query = resolve(options);
      await known(options);
      const db = readerOf((text, args) => store.readAside(text, args));
      const result = await run(metric, query, options, db);
      const evidence = metric.explain
        ? await metric.explain(db, query)
        : { rows: [], warnings: [`metric "${metric.id}" does not provide an explanation`] };
      return {
        id: metric.id,
        title: metric.title,
        unit: metric.unit,
        description: metric.description,
        from: formatTimestamp(query.from),
        to: formatTimestamp(query.to),
        result,
        ...evidence,
      };
    },
  };
}
