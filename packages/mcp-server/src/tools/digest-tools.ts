import { prReviewQueue, sprintHealth, standupDigest } from '@teamstate/metrics';
import { z } from 'zod';
import { idArgument, limitArgument, timestampArgument } from './arguments.js';
import { defineTool } from './tool-definition.js';

const read = { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false } as const;

/** `standup_digest`: per person what happened since the last standup, and the team's blockers. */
export const standupDigestTool = defineTool({
  name: 'standup_digest',
  title: 'Standup digest',
  description:
    'A team standup: for each member what they merged, opened, reviewed and moved (status changes) since `since` (default: the same time on the previous working day), what they are blocked on, then the team blockers. Returns the structured digest and a ready-to-read `text`.',
  input: z.strictObject({
    team: idArgument('The team id (see team_overview).'),
    since: timestampArgument('Start of the period.').optional(),
  }),
  output: z.object({
    team: z.object({ id: z.string(), name: z.string() }),
    since: z.string(),
    until: z.string(),
    people: z.array(z.unknown()),
    blockers: z.array(z.unknown()),
    text: z.string(),
  }),
  annotations: read,
  run: (input, { teamState }) => standupDigest(teamState, input),
});

/** `sprint_health`: scope, burn, risks and forecast of a sprint. */
export const sprintHealthTool = defineTool({
  name: 'sprint_health',
  title: 'Sprint health',
  description:
    "How a team's active sprint (or the sprint given) is going: committed scope and scope added since the start, points done vs committed, remaining vs the ideal burn (ahead, on_track, behind), at-risk items (blocked, flagged, overdue, not started) and the carry-over forecast. Give team or sprint.",
  input: z.strictObject({ team: idArgument('The team id: its active sprint.').optional(), sprint: idArgument('A sprint id.').optional() }),
  output: z.object({
    sprint: z.looseObject({ id: z.string(), name: z.string() }),
    scope: z.unknown(),
    done: z.unknown(),
    burn: z.unknown(),
    atRisk: z.array(z.unknown()),
    forecast: z.unknown(),
    text: z.string(),
  }),
  annotations: read,
  run: (input, { teamState }) => sprintHealth(teamState, input),
});

/** `pr_review_queue`: PRs waiting for review, longest wait first, with suggested reviewers. */
export const prReviewQueueTool = defineTool({
  name: 'pr_review_queue',
  title: 'PR review queue',
  description:
    "A team's open, ready pull requests that are not approved and not waiting on their author, longest wait (working hours) first, each with two suggested reviewers: who authored or reviewed most PRs of that repository recently, the less loaded first. Use it to unblock reviews.",
  input: z.strictObject({ team: idArgument('The team id (see team_overview).'), limit: limitArgument(100, 20) }),
  output: z.object({
    team: z.string(),
    pullRequests: z
      .array(z.unknown())
      .describe('Each: key, title, author, repository, readyAt, waitingWorkingHours, size, reviews, suggestedReviewers.'),
    text: z.string(),
  }),
  annotations: read,
  run: (input, { teamState }) => prReviewQueue(teamState, input),
});
