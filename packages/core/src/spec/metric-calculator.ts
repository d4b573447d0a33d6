import type { StoreReader } from './store-reader.js';

/** Which DORA benchmark table classifies results into bands (docs/metrics.md lists both). */
export type DoraBenchmarks = '2023' | '2021';

/** The tunable parts of the metric definitions, after defaults are applied. */
export interface ResolvedMetricSettings {
  /** Glob patterns (`*`, `?`), matched case-insensitively against a deployment's environment. */
  readonly productionEnvironments: readonly string[];
  /** Labels (case-insensitive) that make a pull request rework. */
  readonly reworkLabels: readonly string[];
  /** Status names (case-insensitive) that count as waiting, not working, in flow efficiency. */
  readonly waitingStatuses: readonly string[];
  readonly doraBenchmarks: DoraBenchmarks;
}

/** What a calculator computes over: one workspace, a half-open window of UTC instants and optional scope filters. */
export interface MetricQuery {
  readonly workspace: string;
  /** Window start, epoch milliseconds (inclusive). */
  readonly from: number;
  /** Window end, epoch milliseconds (exclusive); the instant for point-in-time metrics such as `wip`. */
  readonly to: number;
  /**
   * Team id: PRs and deployments belong to the team of their repository; issues and sprints to their own team;
   * incidents to `incidentTeam` (their own or their service's, else their repository's or deployment's).
   */
  readonly team?: string;
  /** Repository id (`owner/name`). */
  readonly repository?: string;
  /** Person id: author or assignee of the work items counted. */
  readonly person?: string;
  readonly settings: ResolvedMetricSettings;
}

/**
 * A metric's value for one query. `value` is `null` when there is nothing to measure (never 0 or NaN);
 * durations are hours. Calculators add their own details (`count`, `p90`, `band` …).
 */
export interface MetricResult {
  value: number | null;
  unit: string;
  [detail: string]: unknown;
}

/** The evidence behind a result: the rows it was computed from and data-quality warnings. */
export interface MetricEvidence {
  rows: Record<string, unknown>[];
  warnings: string[];
}

/**
 * A table teamstate derives from the records for the delivery metrics and brings up to date when a metric reads it (a
 * rebuild of what a write to its inputs changed, else one read), keyed by the delivery settings: `pull_request_deployments`
 * (each merged pull request's deploying production deployment), `deployment_rework` (the production deployments that
 * deploy a rework pull request) and `incident_deployments` (each incident's attributed production deployment).
 * docs/data-model.md lists their columns.
 */
export type DerivedTable = 'pull_request_deployments' | 'deployment_rework' | 'incident_deployments';

/**
 * A metric: a plain object computed in SQL inside the store (never by pulling every row into JavaScript).
 * Register it with `createTeamState({ metrics: [...builtinMetrics, myMetric] })` and it is available
 * to the SDK, the CLI and the MCP server alike.
 *
 * @example
 * const openIncidents: MetricCalculator = {
 *   specificationVersion: 'v1', id: 'open_incidents', title: 'Open incidents', unit: 'count',
 *   description: 'Incidents created before `to` and not resolved before it.',
 *   async compute(db, q) {
 *     const row = await db.get(columns({ n: integer }), sql`SELECT count(*) AS n FROM incidents WHERE workspace = ${q.workspace}
 *       AND created_at < ${q.to} AND (resolved_at IS NULL OR resolved_at >= ${q.to})`)
 *     const n = row?.n ?? 0
 *     return { value: n === 0 ? null : n, unit: 'count' }
 *   },
 * }
 */
export interface MetricCalculator {
  /** The contract version; a calculator or detector that leaves it out is taken as `'v1'`. */
  readonly specificationVersion?: 'v1';
  /** Unique id (`snake_case`), used by `ts.metrics.compute()`, the CLI and MCP. */
  readonly id: string;
  readonly title: string;
  /** Unit of `value`: `hours`, `ratio`, `count`, `deployments/day` … */
  readonly unit: string;
  /** The exact definition, in one or two sentences. */
  readonly description: string;
  /** Group used for defaults: the CLI computes `dora` and `flow` when no id is given. */
  readonly category?: string;
  /** Which way is an improvement, for `compare: 'previous'` trends; leave it out when neither is (`wip`, `velocity`). */
  readonly better?: 'higher' | 'lower';
  /**
   * The derived tables its statements read, in `compute` and `explain`, whatever the query's scope: `ts.metrics` brings
   * exactly those up to date, once per computation, before the calculator's first statement. `[]` when it reads none:
   * it never waits for a rebuild. Left out, every derived table is brought up to date first, which is always safe (a
   * third-party calculator written before this field reads current rows) but may wait for a rebuild it does not need.
   * @example reads: ['pull_request_deployments']
   */
  readonly reads?: readonly DerivedTable[];
  /** Computes over read-only access to the store (queries with the `sql` tag; no writes). */
  compute(db: StoreReader, query: MetricQuery): Promise<MetricResult>;
  /** Rows behind the number and data-quality warnings; optional for custom metrics. */
  explain?(db: StoreReader, query: MetricQuery): Promise<MetricEvidence>;
}
