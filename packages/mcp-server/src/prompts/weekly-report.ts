import type { McpServer } from '@modelcontextprotocol/server';
import type { Register } from '../server-environment.js';
import { instantArgument, teamArgument, teamPrompt } from './team-prompt.js';

const WEEK_MS = 7 * 86_400_000;

/** `weekly_report`: delivery numbers and highlights of the last seven days. */
export const registerWeeklyReportPrompt: Register<McpServer> = (server, environment) => {
  server.registerPrompt(
    'weekly_report',
    {
      title: 'Weekly report',
      description: "A team's weekly report: delivery metrics, what shipped, incidents, risks and next week's focus.",
      argsSchema: {
        team: teamArgument(environment.teamState),
        to: instantArgument('End of the week reported on, exclusive (default: now).'),
      },
    },
    ({ team, to }) => {
      const end = to ?? environment.teamState.now().toISOString();
      const from = new Date(Date.parse(end) - WEEK_MS).toISOString();
      return teamPrompt(environment, {
        team,
        task: `Write the weekly report of team "${team}" for [${from}, ${end}).`,
        steps: [
          {
            tool: 'get_metrics',
            text: `Call get_metrics with team "${team}", from "${from}" and to "${end}" for deployment frequency, lead time, change failure rate, time to restore, PR cycle time and throughput; call it again for the previous week to compare.`,
          },
          {
            tool: 'list_work_items',
            text: `Call list_work_items with team "${team}" and updatedSince "${from}" (follow nextCursor) for what was merged and finished.`,
          },
          { tool: 'list_signals', text: `Call list_signals with team "${team}" for open risks.` },
          { tool: 'list_approvals', text: 'Call list_approvals for actions proposed this week and their outcome.' },
        ],
        format:
          'Answer with: a one-line headline; delivery numbers with the change from last week; what shipped (keys and titles); incidents; risks; focus for next week. At most 300 words.',
      });
    },
  );
};
