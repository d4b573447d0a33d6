import { formatTimestamp } from '../../kernel/model/timestamp.js';
import type { StoreReader } from '../../kernel/store/store-reader.js';
import type { MetricCalculator, MetricQuery, MetricResult } from '../../spec/metric-calculator.js';
import { weeklyBuckets } from './metric-query.js';
import type { MetricComputeOptions, MetricSeriesPoint, MetricTrend } from './metrics-types.js';

/** One metric's result for a query: its value, and the weekly series and the comparison the options ask for. */
export async function runMetric(
  metric: MetricCalculator,
  query: MetricQuery,
  options: MetricComputeOptions,
  db: StoreReader,
): Promise<MetricResult> {
  const result: MetricResult = { ...(await metric.compute(db, query)) };
  if (options.granularity === 'week') result.series = await weeklySeries(metric, query, db);
  if (options.compare === 'previous') Object.assign(result, await comparison(metric, query, result.value, db));
  return result;
}

/** The metric's result for each Monday-aligned week of the query's window. */
async function weeklySeries(metric: MetricCalculator, query: MetricQuery, db: StoreReader): Promise<MetricSeriesPoint[]> {
  const series: MetricSeriesPoint[] = [];
  for (const [from, to] of weeklyBuckets(query.from, query.to)) {
    const point = await metric.compute(db, { ...query, from, to });
    series.push({ from: formatTimestamp(from), to: formatTimestamp(to), ...point });
  }
  return series;
}

/** Which way a change of `delta` went, for a metric that says which way is better. */
function trendOf(delta: number | null, better: MetricCalculator['better']): MetricTrend | undefined {
  if (delta === null || better === undefined) return undefined;
  if (delta === 0) return 'unchanged';
  return delta > 0 === (better === 'higher') ? 'improving' : 'worsening';
}

/** The result over the window of the same length just before the query's, the delta and the trend. */
async function comparison(metric: MetricCalculator, query: MetricQuery, value: number | null, db: StoreReader) {
  const from = query.from - (query.to - query.from);
  const previous = await metric.compute(db, { ...query, from, to: query.from });
  const delta = value === null || previous.value === null ? null : value - previous.value;
  const trend = trendOf(delta, metric.better);
  return {
    previous: { from: formatTimestamp(from), to: formatTimestamp(query.from), ...previous },
    delta,
    ...(trend ? { trend } : {}),
  };
}
