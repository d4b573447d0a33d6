import type { McpServer } from '@modelcontextprotocol/server';
import type { Register } from '../server-environment.js';
import { teamArgument, teamPrompt } from './team-prompt.js';

/** `sprint_review`: the active sprint's commitment against what got done. */
export const registerSprintReviewPrompt: Register<McpServer> = (server, environment) => {
  server.registerPrompt(
    'sprint_review',
    {
      title: 'Sprint review',
      description:
        "A review of a team's active sprint: committed against done (points and items), carry-over, blockers, and what to change.",
      argsSchema: { team: teamArgument(environment.teamState) },
    },
    ({ team }) =>
      teamPrompt(environment, {
        team,
        task: `Review the active sprint of team "${team}" (its id, dates and progress are in the attached overview's activeSprint).`,
        steps: [
          { tool: 'sprint_health', text: `Call sprint_health with team "${team}" for scope change, burn-down and risk.` },
          {
            tool: 'list_work_items',
            text: `Call list_work_items with team "${team}" and statusCategory "done", then "in_progress", then "todo", to see what was finished, what is under way and what has not started.`,
          },
          {
            tool: 'get_metrics',
            text: `Call get_metrics with ids ["sprint_completion", "velocity"] and team "${team}" for the sprint numbers.`,
          },
          { tool: 'get_work_item', text: 'Call get_work_item on blocked or flagged items to see their status history.' },
        ],
        format:
          'Answer with: sprint goal and dates; committed vs done (points and items, as numbers); what carries over and why; blockers; two or three concrete suggestions for the next sprint.',
      }),
  );
};
