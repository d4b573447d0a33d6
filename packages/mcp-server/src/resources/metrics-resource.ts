import type { McpServer } from '@modelcontextprotocol/server';
import { defaultMetricIds, metricWindow } from '@teamstate/core';
import type { Register } from '../server-environment.js';
import { roundMetrics } from '../tools/get-metrics.js';
import { requireTeam } from '../tools/references.js';
import { jsonContents, readOrExplain, variable } from './json-resource.js';
import { perTeamTemplate } from './per-team-template.js';

/** `teamstate://metrics/{team}`: a team's default metrics (DORA and flow) over the 30 days before now, as `teamstate metrics --team <team> --json` computes them. */
export const registerMetricsResource: Register<McpServer> = (server, { teamState }) => {
  server.registerResource(
    'metrics',
    perTeamTemplate(teamState, 'metrics', 'team', (name) => `${name} metrics`),
    {
      title: 'Team metrics',
      description:
        "A team's DORA and flow metrics over the 30 days before now, as get_metrics answers them without ids or window: the window, and per metric its value, unit and details.",
      mimeType: 'application/json',
    },
    (uri, variables) =>
      readOrExplain(async () => {
        const team = await requireTeam(teamState, decodeURIComponent(variable(variables.team)), 'uri');
        const window = metricWindow({}, teamState.now());
        const metrics = await teamState.metrics.compute(defaultMetricIds(teamState.metrics.list()), { ...window, team });
        return jsonContents(uri, { team, ...window, metrics: roundMetrics(metrics) });
      }),
  );
};
