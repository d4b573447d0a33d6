import {
  DEFAULT_METRIC_CATEGORIES,
  DEFAULT_METRIC_WINDOW_DAYS,
  defaultMetricIds,
  type MetricResult,
  metricWindow,
  type TeamState,
} from '@teamstate/core';
import { z } from 'zod';
import { idArgument, textArgument, windowBoundArgument } from './arguments.js';
import { resolvePerson } from './references.js';
import { defineTool } from './tool-definition.js';

/** What `get_metrics` and `teamstate://metrics/{team}` answer: the results of `ts.metrics.compute()`, keyed by metric id. */
export const metricResults = z
  .record(
    z.string(),
    z.looseObject({
      value: z.number().nullable().describe('null when there is nothing to measure in the window'),
      unit: z.string(),
    }),
  )
  .describe("Results keyed by metric id: value, unit and the metric's details (count, percentiles, band …).");

/** The arguments of a metrics request, as `teamstate metrics` takes them. */
export interface MetricsRequest {
  ids?: string[];
  from?: string;
  to?: string;
  team?: string;
  repository?: string;
  person?: string;
  granularity?: 'week';
}

/** Computes a request with the CLI's defaults (the dora and flow set, the 30 days before `to` or now): the JSON of `teamstate metrics --json`. */
export function computeMetrics(teamState: TeamState, request: MetricsRequest): Promise<Record<string, MetricResult>> {
  const ids = request.ids ?? defaultMetricIds(teamState.metrics.list());
  return teamState.metrics.compute(ids, {
    ...metricWindow(request, teamState.now()),
    team: request.team,
    repository: request.repository,
    person: request.person,
    granularity: request.granularity,
  });
}

function description(teamState: TeamState): string {
  const catalogue = teamState.metrics.list().map((m) => `- ${m.id} (${m.unit}${m.category ? `, ${m.category}` : ''}): ${m.title}`);
  return [
    `Engineering metrics over a half-open window [from, to): DORA (deployment frequency, lead time, change failure rate, recovery and restore times, rework rate), flow (PR cycle time, time to first review, PR size, throughput, WIP, aging WIP, flow efficiency) and sprint metrics, for the organisation or one team, repository or person. The answer is the same JSON as \`teamstate metrics --json\`: per metric id its value (null when there is nothing to measure), unit (durations in hours, ratios 0–1) and details such as count, p50/p75/p90 and the DORA band. Without ids it computes the ${DEFAULT_METRIC_CATEGORIES.join(' and ')} metrics; without from it covers the ${DEFAULT_METRIC_WINDOW_DAYS} days before to (default now). Use it for "how are we doing" and trend questions; call it twice with adjacent windows to compare, or with granularity "week" for a weekly series.`,
    catalogue.length === 0 ? 'No metrics are registered in this server.' : `Metric ids:\n${catalogue.join('\n')}`,
  ].join('\n\n');
}

/** `get_metrics`: DORA, flow and sprint metrics, the JSON of `teamstate metrics --json`. */
export const getMetricsTool = defineTool({
  name: 'get_metrics',
  title: 'Get metrics',
  description,
  input: z.strictObject({
    ids: z
      .array(textArgument(100, 'A metric id listed in this description.'), {
        error: (issue) => `expected a list of metric ids, got ${JSON.stringify(issue.input)}`,
      })
      .min(1, { error: 'expected at least one metric id (omit ids for the default set)' })
      .max(20, { error: 'expected at most 20 metric ids' })
      .optional()
      .describe('Metric ids to compute (default: every dora and flow metric).'),
    from: windowBoundArgument('Window start, inclusive (default: 30 days before to).').optional(),
    to: windowBoundArgument('Window end, exclusive (default: now).').optional(),
    team: idArgument('Only this team: PRs, deployments and incidents of its repositories, its issues and sprints.').optional(),
    repository: idArgument('Only this repository, "owner/name".').optional(),
    person: idArgument('Only work this person (id, login or email) authored or is assigned to.').optional(),
    granularity: z
      .enum(['week'], { error: (issue) => `expected "week", got ${JSON.stringify(issue.input)}` })
      .optional()
      .describe('"week" adds a weekly series (Monday 00:00 UTC boundaries) to each result.'),
  }),
  output: metricResults,
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
  async run(input, { teamState }) {
    const person = input.person === undefined ? undefined : await resolvePerson(teamState, input.person);
    return computeMetrics(teamState, { ...input, person });
  },
});
