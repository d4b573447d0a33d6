import type { McpServer } from '@modelcontextprotocol/server';
import type { Register } from '../server-environment.js';
import { instantArgument, previousWorkingDay, teamArgument, teamPrompt } from './team-prompt.js';

/** `standup`: what moved since the previous working day, what is stuck, what needs a decision. */
export const registerStandupPrompt: Register<McpServer> = (server, environment) => {
  server.registerPrompt(
    'standup',
    {
      title: 'Stand-up summary',
      description: "A team's stand-up: done, in progress, blocked and waiting for a decision since the previous working day.",
      argsSchema: {
        team: teamArgument(environment.teamState),
        since: instantArgument('Start of the period (default: the start of the previous working day, UTC).'),
      },
    },
    ({ team, since }) => {
      const from = since ?? previousWorkingDay(environment.teamState.now());
      return teamPrompt(environment, {
        team,
        task: `Prepare the stand-up summary of team "${team}" for the period since ${from}.`,
        steps: [
          {
            tool: 'standup_digest',
            text: `Call standup_digest with team "${team}": it groups each person's latest daily report, what moved and what is stuck.`,
          },
          {
            tool: 'list_work_items',
            text: `Call list_work_items with team "${team}" and updatedSince "${from}" (follow nextCursor) for what was merged, finished or started.`,
          },
          {
            tool: 'list_work_items',
            text: `Call list_work_items with team "${team}", kind "pull_request" and state "open" for open pull requests; note those without a review.`,
          },
          { tool: 'list_signals', text: `Call list_signals with team "${team}" for stale PRs, blockers and overloaded people.` },
          { tool: 'list_approvals', text: 'Call list_approvals with status "pending" for proposed actions waiting for a human.' },
        ],
        format:
          'Answer with four short sections: Done, In progress, Blocked or at risk, Needs a decision. One line per item: its key, who, and why it matters. Name people by name. At most 200 words.',
      });
    },
  );
};
