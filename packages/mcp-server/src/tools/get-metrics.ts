import { defaultMetricIds, metricWindow } from '@teamstate/core';
import { z } from 'zod';
import { enumArgument, idArgument, textArgument, timestampArgument } from './arguments.js';
import { jsonValue } from './json-value.js';
import { requireRepository, requireTeam, resolvePerson } from './references.js';
import { defineTool, readOnly } from './tool-definition.js';

/** A result over one window: the value, its unit and the calculator's own details (counts, percentiles, band …). */
const windowResult = z.object({ value: z.number().nullable(), unit: z.string() }).catchall(jsonValue);
const windowBounds = { from: z.string(), to: z.string() };

const metricResult = windowResult.extend({
  series: z
    .array(windowResult.extend(windowBounds))
    .optional()
    .describe('With granularity "week": the result per week (Monday 00:00 UTC boundaries, clipped to the window).'),
  previous: windowResult
    .extend(windowBounds)
    .optional()
    .describe('With compare "previous": the result over the window of the same length just before.'),
  delta: z.number().nullable().optional().describe('With compare "previous": value minus the previous value (null when either is null).'),
  trend: z
    .enum(['improving', 'worsening', 'unchanged'])
    .optional()
    .describe('With compare "previous", for metrics where higher or lower is better (not wip or velocity).'),
});

/** `get_metrics`: DORA, flow and sprint metrics over a window, the JSON of `teamstate metrics --json` with hours and ratios rounded. */
export const getMetricsTool = defineTool({
  name: 'get_metrics',
  title: 'Metrics',
  toolset: 'delivery',
  writes: false,
  description:
    'Metrics over [from, to), default 30 days (hours; null without data): DORA deployment_frequency, lead_time_for_changes, change_failure_rate, failed_deployment_recovery_time, time_to_restore_service, rework_rate; flow pr_cycle_time, time_to_first_review, pr_size, throughput, wip, aging_wip, flow_efficiency (ids default to both); sprint_completion, velocity; ai_assisted_share.',
  input: z.strictObject({
    ids: z.array(textArgument(100)).max(30).optional(),
    from: timestampArgument().optional(),
    to: timestampArgument('End, exclusive.').optional(),
    team: idArgument().optional(),
    repository: idArgument('owner/name.').optional(),
    person: idArgument('Authored or assigned.').optional(),
    granularity: enumArgument(z.enum(['week']), 'Add the weekly series.').optional(),
    compare: enumArgument(z.enum(['previous']), 'Add the previous window, the delta and the trend.').optional(),
  }),
  output: z.object({ metrics: z.record(z.string(), metricResult) }),
  annotations: readOnly,
  ownTurns: true,
  async run(input, { teamState }) {
    const person = input.person ? await resolvePerson(teamState, input.person) : undefined;
    // The defaults of `teamstate metrics` (core's metricWindow and defaultMetricIds), so both answer alike.
    const ids = input.ids?.length ? input.ids : defaultMetricIds(teamState.metrics.list());
    try {
      // It checks the team and repository itself (not again for a query answered from its last result).
      const metrics = await teamState.metrics.compute(ids, {
        ...metricWindow(input, teamState.now()),
        ...(input.team ? { team: input.team } : {}),
        ...(input.repository ? { repository: input.repository } : {}),
        ...(person ? { person } : {}),
        ...(input.granularity ? { granularity: input.granularity } : {}),
        ...(input.compare ? { compare: input.compare } : {}),
      });
      return { metrics: roundMetrics(metrics) };
    } catch (error) {
      // An unknown team or repository is refused as every tool refuses one.
      if (input.team) await requireTeam(teamState, input.team);
      if (input.repository) await requireRepository(teamState, input.repository);
      throw error;
    }
  },
});

/** Metric results as MCP answers give them: hours to 2 decimals, ratios to 4 (docs/mcp.md#get_metrics). */
export function roundMetrics<T extends { unit: string }>(metrics: Record<string, T>): Record<string, T> {
  return copyWith(metrics, (result) => rounded(result as T)) as Record<string, T>;
}

/** Decimal places of a metric's numbers in MCP answers, by unit: hours 2, ratios 4. */
const PLACES: Record<string, number> = { hours: 2, ratio: 4 };

/** The value and the numeric details (p75, p90, series …) of an hours or ratio metric, rounded; others as they are. */
function rounded<T extends { unit: string }>(result: T): T {
  const places = PLACES[result.unit];
  return places === undefined ? result : (roundedTo(result, places) as T);
}

function roundedTo(value: unknown, places: number, key?: string): unknown {
  // Counts stay whole; everything else numeric is in the metric's unit.
  if (typeof value === 'number') return key === 'count' || Number.isInteger(value) ? value : Number(value.toFixed(places));
  if (Array.isArray(value)) return value.map((item) => roundedTo(item, places));
  if (value && typeof value === 'object')
    return copyWith(value, (item, k) => (k === 'unit' || k === 'band' ? item : roundedTo(item, places, k)));
  return value;
}

/**
 * A copy of `object`'s own enumerable properties, each value mapped: a loop, not `Object.fromEntries` over
 * `Object.entries` (a quarter of the time on every get_metrics answer). A key `__proto__` stays a property.
 */
function copyWith(object: object, map: (value: unknown, key: string) => unknown): Record<string, unknown> {
  const copy: Record<string, unknown> = {};
  for (const key of Object.keys(object)) {
    const value = map((object as Record<string, unknown>)[key], key);
    if (key === '__proto__') Object.defineProperty(copy, key, { value, enumerable: true, writable: true, configurable: true });
    else copy[key] = value;
  }
  return copy;
}
