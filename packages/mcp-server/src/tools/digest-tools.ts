import { prReviewQueue, sprintHealth, standupDigest } from '@teamstate/metrics';
import { z } from 'zod';
import { idArgument, limitArgument, timestampArgument } from './arguments.js';
import { defineTool, readOnly } from './tool-definition.js';

/** A work item as the digests name it. */
const item = z.object({ key: z.string(), title: z.string() });

/** `standup_digest`: per person what happened since the last standup, and the team's blockers. */
export const standupDigestTool = defineTool({
  name: 'standup_digest',
  title: 'Standup digest',
  toolset: 'delivery',
  writes: false,
  description:
    'A team standup: per member the latest daily report, what they merged, opened, reviewed, moved since `since` (default: this time last working day), what blocks them; team blockers; a ready-to-read `text`.',
  input: z.strictObject({
    team: idArgument(),
    since: timestampArgument().optional(),
  }),
  output: z.object({
    team: z.object({ id: z.string(), name: z.string() }),
    since: z.string(),
    until: z.string(),
    people: z.array(
      z.object({
        person: z.object({ id: z.string(), name: z.string() }),
        report: z.object({ day: z.string(), text: z.string(), blockers: z.string().optional() }).nullable(),
        merged: z.array(item),
        opened: z.array(item),
        reviewed: z.array(item.extend({ state: z.string() })),
        moved: z.array(item.extend({ from: z.string().nullable(), to: z.string() })),
        blocked: z.array(item.extend({ status: z.string() })),
      }),
    ),
    blockers: z.array(
      z.object({
        kind: z.string(),
        severity: z.enum(['info', 'warning', 'critical']),
        title: z.string(),
        subject: z.object({ type: z.string(), id: z.string() }),
      }),
    ),
    text: z.string(),
  }),
  annotations: readOnly,
  run: (input, { teamState }) => standupDigest(teamState, input),
});

/** `sprint_health`: scope, burn, risks and forecast of a sprint. */
export const sprintHealthTool = defineTool({
  name: 'sprint_health',
  title: 'Sprint health',
  toolset: 'delivery',
  writes: false,
  description:
    "A team's active sprint (or the one given): committed and added scope, points done, burn vs ideal (ahead, on_track, behind), at-risk items (blocked, flagged, overdue, not started), carry-over forecast.",
  input: z.strictObject({ team: idArgument().optional(), sprint: idArgument().optional() }),
  output: z.object({
    sprint: z.object({ id: z.string(), name: z.string(), team: z.string(), state: z.string(), startAt: z.string(), endAt: z.string() }),
    scope: z.object({ committedItems: z.number(), committedPoints: z.number(), addedItems: z.number(), addedPoints: z.number() }),
    done: z.object({ items: z.number(), points: z.number(), committedPoints: z.number() }),
    burn: z.object({
      elapsed: z.number().describe('Share of the sprint elapsed, 0 to 1.'),
      idealRemainingPoints: z.number(),
      remainingPoints: z.number(),
      status: z.enum(['ahead', 'on_track', 'behind']),
    }),
    atRisk: z.array(item.extend({ status: z.string(), why: z.string() })),
    forecast: z.object({ projectedPoints: z.number(), carryOverPoints: z.number(), carryOverItems: z.array(z.string()) }),
    text: z.string(),
  }),
  annotations: readOnly,
  run: (input, { teamState }) => sprintHealth(teamState, input),
});

/** `pr_review_queue`: PRs waiting for review, longest wait first, with suggested reviewers. */
export const prReviewQueueTool = defineTool({
  name: 'pr_review_queue',
  title: 'PR review queue',
  toolset: 'delivery',
  writes: false,
  description:
    "A team's open, ready PRs not approved nor waiting on their author, longest wait (working hours) first, with CI state and two suggested reviewers (recent in the repository, less loaded first).",
  input: z.strictObject({ team: idArgument(), limit: limitArgument(100, 20) }),
  output: z.object({
    team: z.string(),
    total: z
      .number()
      .describe(
        "How many PRs wait for review (team_overview's pullRequestsAwaitingReview); pullRequests holds the longest waits, up to limit.",
      ),
    pullRequests: z.array(
      item.extend({
        author: z.string(),
        repository: z.string(),
        readyAt: z.string(),
        waitingWorkingHours: z.number(),
        size: z.number().describe('Lines added plus deleted.'),
        reviews: z.number(),
        suggestedReviewers: z
          .array(z.object({ person: z.string(), name: z.string(), ownership: z.number(), openReviews: z.number() }))
          .describe('Less loaded first.'),
        build: z
          .object({ state: z.enum(['failing', 'running', 'passing']), failing: z.array(z.string()) })
          .optional()
          .describe('CI of the head commit; failing: jobs whose latest run failed.'),
      }),
    ),
    text: z.string(),
  }),
  annotations: readOnly,
  run: (input, { teamState }) => prReviewQueue(teamState, input),
});
