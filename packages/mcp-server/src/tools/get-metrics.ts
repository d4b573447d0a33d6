import { defaultMetricIds, metricWindow } from '@teamstate/core';
import { z } from 'zod';
import { idArgument, textArgument, timestampArgument } from './arguments.js';
import { requireRepository, requireTeam, resolvePerson } from './references.js';
import { defineTool } from './tool-definition.js';

const metricResult = z.looseObject({ value: z.number().nullable(), unit: z.string() });

/** `get_metrics`: DORA, flow and sprint metrics over a window, the same JSON as `teamstate metrics --json`. */
export const getMetricsTool = defineTool({
  name: 'get_metrics',
  title: 'Metrics',
  description:
    'Computes DORA (deployment_frequency, lead_time_for_changes, change_failure_rate, failed_deployment_recovery_time, time_to_restore_service, rework_rate), flow (pr_cycle_time, time_to_first_review, pr_size, throughput, wip, aging_wip, flow_efficiency) and sprint (sprint_completion, velocity) metrics over the half-open window [from, to). Durations are hours; value is null when there is no data. Without ids: the DORA and flow set; without from/to: the 30 days before now. Scope with team, repository or person. Results include details such as p75/p90, counts and DORA bands.',
  input: z.strictObject({
    ids: z
      .array(textArgument(100, 'A metric id.'))
      .max(30)
      .optional()
      .describe('Metric ids (see the description); omit for the DORA and flow set.'),
    from: timestampArgument('Window start, inclusive (default: 30 days before `to`).').optional(),
    to: timestampArgument('Window end, exclusive (default: now).').optional(),
    team: idArgument('Only this team (PRs, deployments and incidents of its repositories; its issues and sprints).').optional(),
    repository: idArgument('Only this repository, owner/name.').optional(),
    person: idArgument('Only work this person authored or is assigned (id, login or email).').optional(),
  }),
  output: z.object({ metrics: z.record(z.string(), metricResult) }),
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
  async run(input, { teamState }) {
    if (input.team) await requireTeam(teamState, input.team);
    if (input.repository) await requireRepository(teamState, input.repository);
    const person = input.person ? await resolvePerson(teamState, input.person) : undefined;
    // The defaults of `teamstate metrics` (core's metricWindow and defaultMetricIds), so both answer alike.
    const ids = input.ids?.length ? input.ids : defaultMetricIds(teamState.metrics.list());
    const metrics = await teamState.metrics.compute(ids, {
      ...metricWindow(input, teamState.now()),
      ...(input.team ? { team: input.team } : {}),
      ...(input.repository ? { repository: input.repository } : {}),
      ...(person ? { person } : {}),
    });
    return { metrics };
  },
});
