import type { MetricResult } from '../../spec/metric-calculator.js';
import type { MetricId } from '../../spec/metric-ids.js';

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
