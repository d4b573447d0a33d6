import type { McpServer } from '@modelcontextprotocol/server';
import type { Register } from '../server-environment.js';
import { teamArgument, teamPrompt } from './team-prompt.js';

/** `pr_triage`: the team's open pull requests, ordered by what to review first. */
export const registerPrTriagePrompt: Register<McpServer> = (server, environment) => {
  server.registerPrompt(
    'pr_triage',
    {
      title: 'PR triage',
      description: "A team's open pull requests ordered by what needs review first, with a suggested reviewer for each.",
      argsSchema: { team: teamArgument(environment.teamState) },
    },
    ({ team }) =>
      teamPrompt(environment, {
        team,
        task: `Triage the open pull requests of team "${team}".`,
        steps: [
          { tool: 'pr_review_queue', text: `Call pr_review_queue with team "${team}" for the PRs waiting for review, oldest first.` },
          {
            tool: 'list_work_items',
            text: `Call list_work_items with team "${team}", kind "pull_request" and state "open" (follow nextCursor).`,
          },
          { tool: 'get_work_item', text: 'Call get_work_item on the oldest ones and on any without a review, for their reviews and size.' },
          { tool: 'list_people', text: `Call list_people with team "${team}" to suggest reviewers who are not the author.` },
          {
            tool: 'propose_action',
            text: 'If the user then asks you to act (comment, label, merge), use propose_action; it waits for the approval the policy requires.',
          },
        ],
        format:
          'Answer with a table: PR key, title, author, age in days, reviews so far, suggested reviewer, next step. Drafts last. Then one sentence on the review load.',
      }),
  );
};
