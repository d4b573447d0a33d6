import { TeamStateError, unknownId } from '../../kernel/errors.js';
import { formatTimestamp } from '../../kernel/model/timestamp.js';
import type { Store } from '../../kernel/store/open-store.js';
import { gatherReads, readPoolSize, SENT_PER_READER } from '../../kernel/store/read-pool.js';
import type { MetricCalculator, MetricQuery, MetricResult, ResolvedMetricSettings } from '../../spec/metric-calculator.js';
import { calculatorReader, derivedRefreshes } from './derived-tables.js';
import { defaultMetricIds } from './metric-defaults.js';
import { checkFilters, type QueryContext, resolveQuery } from './metric-query.js';
import type { MetricComputeOptions, MetricExplanation, MetricInfo, Metrics } from './metrics-types.js';
import { cachedResults, copyOf, createResultCache, type ResultCache } from './result-cache.js';
import { runMetric } from './run-metric.js';

/** What a facade created without `metrics` says when asked for one: the calculators live in another package. */
const NO_METRICS_REGISTERED = 'no metrics are registered: pass `metrics: builtinMetrics` from @teamstate/metrics to createTeamState()';

/**
 * How many queries {@link createMetrics} computes at once: on a company-size file their batches run on the read pool's
 * threads (one per core, 2 to 4), each running one and holding the next ones, so more at once only share the same
 * cores.
 */
export const COMPUTED_AT_ONCE = SENT_PER_READER * readPoolSize();

/**
 * The queries computed at once: the others wait their turn, first come first served, so a server's many callers are
 * answered one query after another instead of all together at the end, and a query answered from its last result
 * never waits for them.
 */
interface Turns {
  /** How many queries are being computed. */
  taken: number;
  /** The queries waiting for a turn, first come first. */
  readonly waiting: (() => void)[];
}

/** What the functions of `ts.metrics` share: the store, the registered calculators and settings, and their state. */
interface MetricsContext extends QueryContext {
  readonly calculators: readonly MetricCalculator[];
  readonly byId: ReadonlyMap<string, MetricCalculator>;
  /** The latest results, per data version. */
  readonly results: ResultCache;
  readonly turns: Turns;
}

/** Runs `fn` once one of the {@link COMPUTED_AT_ONCE} turns is free, then hands the turn to the first waiting query. */
async function inTurn<T>(turns: Turns, fn: () => Promise<T>): Promise<T> {
  if (turns.taken < COMPUTED_AT_ONCE) turns.taken++;
  else await new Promise<void>((resolve) => turns.waiting.push(resolve));
  try {
    return await fn();
  } finally {
    const next = turns.waiting.shift();
    if (next) next();
    else turns.taken--;
  }
}

/** The registered calculator `id` (given as `argument`), or a failure listing the valid ids. */
function calculatorOf(ctx: MetricsContext, id: unknown, argument: string): MetricCalculator {
  const found = typeof id === 'string' ? ctx.byId.get(id) : undefined;
  if (found) return found;
  if (ctx.byId.size === 0) throw unknownId(argument, id, [], { what: 'metric', listAs: '', list: 'always', none: NO_METRICS_REGISTERED });
  throw unknownId(argument, id, [...ctx.byId.keys()], { what: 'metric', listAs: 'valid ids: ', list: 'always' });
}

/** The registered calculators of `ids`, a non-empty list, in its order. */
function calculatorsOf(ctx: MetricsContext, ids: unknown): MetricCalculator[] {
  if (!Array.isArray(ids) || ids.length === 0) {
    if (ctx.byId.size === 0) throw new TeamStateError('invalid_argument', `ids: ${NO_METRICS_REGISTERED}`);
    throw new TeamStateError(
      'invalid_argument',
      `ids: expected a non-empty list of metric ids; valid ids: ${[...ctx.byId.keys()].join(', ')}`,
    );
  }
  return ids.map((id, index) => calculatorOf(ctx, id, `ids[${index}]`));
}

/** `ts.metrics.list()`: the catalogue, in registration order. */
function listMetrics(ctx: MetricsContext): MetricInfo[] {
  return ctx.calculators.map(({ id, title, unit, description, category }) =>
    category === undefined ? { id, title, unit, description } : { id, title, unit, description, category },
  );
}

/**
 * Computes the metrics together, once one of the {@link COMPUTED_AT_ONCE} turns is free. They start together and the
 * statements they ask for at once go as one batch (see {@link gatherReads}): on a company-size file, on the read pool's
 * threads (as a signals refresh does), so a server's event loop answers other requests meanwhile and two computations
 * use two cores; elsewhere on the store's own connection, the event loop turning before each statement. Each
 * calculator reads through a read-only reader of its own (no write(), no raw client) whose first statement waits for
 * the derived tables it declares, brought up to date once for the computation.
 */
function computeTogether(ctx: MetricsContext, metrics: MetricCalculator[], query: MetricQuery, options: MetricComputeOptions) {
  return inTurn(ctx.turns, async () => {
    const gathering = gatherReads((statements) => ctx.store.readAsideBatch(statements));
    const refresh = derivedRefreshes(ctx.store, ctx.workspace, ctx.settings);
    const computed = await gathering.all(
      metrics.map((metric) => () => runMetric(metric, query, options, calculatorReader(metric, gathering.read, ctx.workspace, refresh))),
    );
    const results: Record<string, MetricResult> = {};
    metrics.forEach((metric, i) => {
      results[metric.id] = computed[i]!;
    });
    return results;
  });
}

/** What identifies a computation among the kept results: the metrics and everything of the query they depend on. */
function queryKey(metrics: readonly MetricCalculator[], query: MetricQuery, options: MetricComputeOptions): string {
  return JSON.stringify([
    metrics.map((metric) => metric.id),
    query.from,
    query.to,
    query.team ?? null,
    query.repository ?? null,
    query.person ?? null,
    options.granularity ?? null,
    options.compare ?? null,
  ]);
}

/**
 * `ts.metrics.compute()`: the filters are checked with the first computation of a query; one answered from its last
 * result, at the same data version, had them checked then. None kept where the version cannot be known (a libSQL
 * server, a replica).
 */
async function computeMetrics(ctx: MetricsContext, ids: unknown, options: MetricComputeOptions): Promise<Record<string, MetricResult>> {
  const metrics = calculatorsOf(ctx, ids);
  const query = resolveQuery(ctx, options);
  const version = await ctx.store.dataVersion();
  const compute = () => checkFilters(ctx, options).then(() => computeTogether(ctx, metrics, query, options));
  if (version === undefined) return compute();
  return copyOf(await cachedResults(ctx.results, version, queryKey(metrics, query, options), compute));
}

/** `ts.metrics.explain()`: one metric's result with its rows and warnings, read on the store's own connection. */
async function explainMetric(ctx: MetricsContext, id: unknown, options: MetricComputeOptions): Promise<MetricExplanation> {
  const metric = calculatorOf(ctx, id, 'id');
  const query = resolveQuery(ctx, options);
  await checkFilters(ctx, options);
  const refresh = derivedRefreshes(ctx.store, ctx.workspace, ctx.settings);
  const db = calculatorReader(metric, (text, args) => ctx.store.readAside(text, args), ctx.workspace, refresh);
  const result = await runMetric(metric, query, options, db);
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
  const ctx: MetricsContext = {
    store,
    workspace,
    settings,
    clock,
    calculators,
    byId: new Map(calculators.map((calculator) => [calculator.id, calculator])),
    results: createResultCache(),
    turns: { taken: 0, waiting: [] },
  };
  return {
    list: () => listMetrics(ctx),
    compute: (ids = defaultMetricIds(calculators), options = {}) => computeMetrics(ctx, ids, options),
    explain: (id, options = {}) => explainMetric(ctx, id, options),
  };
}
