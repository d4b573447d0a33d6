import { TeamStateError } from '../../kernel/errors.js';
import type { DoraBenchmarks, ResolvedMetricSettings } from '../../spec/metric-calculator.js';

/** The `metricSettings` option of `createTeamState()`; every field is optional (defaults in docs/metrics.md). */
export interface MetricSettings {
  /** Environments that are production: glob patterns, case-insensitive. Default `['production', 'prod']`. */
  productionEnvironments?: readonly string[];
  /** Labels that make a pull request rework. Default `['hotfix', 'revert', 'incident']`. */
  reworkLabels?: readonly string[];
  /** Statuses that are waiting, not working. Default `['Blocked', 'On Hold', 'Waiting']`. */
  waitingStatuses?: readonly string[];
  /** DORA benchmark table for bands. Default `'2023'`. */
  doraBenchmarks?: DoraBenchmarks;
}

/** The defaults of {@link MetricSettings}. */
export const DEFAULT_METRIC_SETTINGS: ResolvedMetricSettings = Object.freeze({
  productionEnvironments: Object.freeze(['production', 'prod']),
  reworkLabels: Object.freeze(['hotfix', 'revert', 'incident']),
  waitingStatuses: Object.freeze(['Blocked', 'On Hold', 'Waiting']),
  doraBenchmarks: '2023',
});

function names(field: keyof MetricSettings, value: unknown, fallback: readonly string[]): readonly string[] {
  if (value === undefined) return fallback;
  if (!Array.isArray(value) || value.length === 0) {
    throw new TeamStateError('invalid_config', `metricSettings.${field}: expected a non-empty list of strings`);
  }
  value.forEach((item, index) => {
    if (typeof item !== 'string' || item.trim() === '') {
      throw new TeamStateError(
        'invalid_config',
        `metricSettings.${field}[${index}]: expected a non-empty string, got ${JSON.stringify(item)}`,
      );
    }
  });
  return Object.freeze([...value]);
}

/** Applies defaults to `metricSettings` and checks it, naming the offending field. */
export function resolveMetricSettings(settings: MetricSettings = {}): ResolvedMetricSettings {
  const benchmarks = settings.doraBenchmarks ?? DEFAULT_METRIC_SETTINGS.doraBenchmarks;
  if (benchmarks !== '2023' && benchmarks !== '2021') {
    throw new TeamStateError(
      'invalid_config',
      `metricSettings.doraBenchmarks: expected "2023" or "2021", got ${JSON.stringify(benchmarks)}`,
    );
  }
  return Object.freeze({
    productionEnvironments: names(
      'productionEnvironments',
      settings.productionEnvironments,
      DEFAULT_METRIC_SETTINGS.productionEnvironments,
    ),
    reworkLabels: names('reworkLabels', settings.reworkLabels, DEFAULT_METRIC_SETTINGS.reworkLabels),
    waitingStatuses: names('waitingStatuses', settings.waitingStatuses, DEFAULT_METRIC_SETTINGS.waitingStatuses),
    doraBenchmarks: benchmarks,
  });
}
