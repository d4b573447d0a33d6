import type { DoraBenchmarks, MetricQuery, MetricResult } from '@teamstate/core';

/** A DORA performance band. */
export type DoraBand = 'elite' | 'high' | 'medium' | 'low';

/** The DORA measures that have a benchmark. */
export type DoraMeasure = 'deployment_frequency' | 'lead_time' | 'change_failure_rate' | 'recovery_time';

/** Thresholds of one measure: elite, high and medium limits; anything beyond `medium` is low. */
export interface DoraThresholds {
  /** `higher`: a value at or above a limit reaches the band; `lower`: below (or, with `inclusive`, at or below) it. */
  better: 'higher' | 'lower';
  inclusive: boolean;
  elite: number;
  high: number;
  medium: number;
}

const DAY_HOURS = 24;
const WEEK_HOURS = 7 * DAY_HOURS;

/**
 * The benchmark tables (docs/metrics.md explains each limit). The reports describe clusters in words and leave
 * gaps between them; like Apache DevLake we read them as contiguous limits:
 * - 2023 Accelerate State of DevOps report: deployment frequency in deployments per day (on demand = daily or
 *   more, weekly, monthly), lead time under a day / week / month, change failure rate at most 5/10/15 %,
 *   failed deployment recovery time under an hour / day / week.
 * - 2021 report: daily, monthly, every six months; lead time under an hour / week / six months; change failure
 *   rate at most 15/20/30 % (DevLake's split of the report's shared 16–30 % range); time to restore under an hour / day / week.
 */
export const doraBenchmarkTables: Record<DoraBenchmarks, Record<DoraMeasure, DoraThresholds>> = {
  '2023': {
    deployment_frequency: { better: 'higher', inclusive: true, elite: 1, high: 1 / 7, medium: 1 / 30 },
    lead_time: { better: 'lower', inclusive: false, elite: DAY_HOURS, high: WEEK_HOURS, medium: 30 * DAY_HOURS },
    change_failure_rate: { better: 'lower', inclusive: true, elite: 0.05, high: 0.1, medium: 0.15 },
    recovery_time: { better: 'lower', inclusive: false, elite: 1, high: DAY_HOURS, medium: WEEK_HOURS },
  },
  '2021': {
    deployment_frequency: { better: 'higher', inclusive: true, elite: 1, high: 1 / 30, medium: 1 / 180 },
    lead_time: { better: 'lower', inclusive: false, elite: 1, high: WEEK_HOURS, medium: 180 * DAY_HOURS },
    change_failure_rate: { better: 'lower', inclusive: true, elite: 0.15, high: 0.2, medium: 0.3 },
    recovery_time: { better: 'lower', inclusive: false, elite: 1, high: DAY_HOURS, medium: WEEK_HOURS },
  },
};

/**
 * Classifies a value (deployments per day, hours or a ratio) into a DORA band of the chosen table; `null` for no value.
 * @example doraBand('lead_time', 30, '2023') // 'high'
 */
export function doraBand(measure: DoraMeasure, value: number | null, benchmarks: DoraBenchmarks): DoraBand | null {
  if (value === null) return null;
  const t = doraBenchmarkTables[benchmarks][measure];
  const reaches = (limit: number) => (t.better === 'higher' ? value >= limit : t.inclusive ? value <= limit : value < limit);
  if (reaches(t.elite)) return 'elite';
  if (reaches(t.high)) return 'high';
  if (reaches(t.medium)) return 'medium';
  return 'low';
}

/** Adds the DORA `band` of `result.value` and the table used (`benchmarks`) to a result. */
export function withBand<R extends MetricResult>(
  measure: DoraMeasure,
  result: R,
  q: MetricQuery,
): R & { band: DoraBand | null; benchmarks: DoraBenchmarks } {
  return { ...result, band: doraBand(measure, result.value, q.settings.doraBenchmarks), benchmarks: q.settings.doraBenchmarks };
}
