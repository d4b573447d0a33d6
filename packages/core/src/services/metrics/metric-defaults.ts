import { formatTimestamp, parseTimestamp } from '../../kernel/model/timestamp.js';

/** The categories computed when no metric id is given (`teamstate metrics`, the MCP tool `get_metrics`). */
export const DEFAULT_METRIC_CATEGORIES: readonly string[] = ['dora', 'flow'];

/** The length of the window when its start is not given. */
export const DEFAULT_METRIC_WINDOW_DAYS = 30;

/** The ids of a catalogue's default metrics (those of {@link DEFAULT_METRIC_CATEGORIES}), in catalogue order. */
export function defaultMetricIds(catalogue: readonly { id: string; category?: string }[]): string[] {
  return catalogue.flatMap((metric) => (DEFAULT_METRIC_CATEGORIES.includes(metric.category ?? '') ? [metric.id] : []));
}

/** Parses a window bound: an ISO 8601 timestamp with an offset, or a bare date (`2026-03-01`, 00:00 UTC). */
export function parseWindowBound(value: string): number | undefined {
  return parseTimestamp(/^\d{4}-\d{2}-\d{2}$/.test(value) ? `${value}T00:00:00Z` : value);
}

/**
 * The window of a metrics request: `from` and `to` as given, else the {@link DEFAULT_METRIC_WINDOW_DAYS}
 * days before `to`, which defaults to `now`. A malformed `to` is passed through for `ts.metrics.compute()`
 * to report by name.
 *
 * @example metricWindow({}, new Date('2026-03-31T00:00:00Z')) // { from: '2026-03-01T00:00:00.000Z', to: '2026-03-31T00:00:00.000Z' }
 */
export function metricWindow(bounds: { from?: string; to?: string }, now: Date): { from: string; to: string } {
  const to = bounds.to ?? now.toISOString();
  if (bounds.from !== undefined) return { from: bounds.from, to };
  const end = parseWindowBound(to);
  if (end === undefined) return { from: to, to };
  return { from: formatTimestamp(end - DEFAULT_METRIC_WINDOW_DAYS * 24 * 3_600_000), to };
}
