import { z } from 'zod';
import { idArgument } from './arguments.js';
import { requireTeam } from './references.js';
import { defineTool, readOnly } from './tool-definition.js';

const count = z.int().nonnegative();

const teamOverviewOutput = z.object({
  workspace: z.string(),
  at: z.string(),
  totals: z.object({
    teams: count,
    people: count,
    repositories: count,
    workItems: count,
    deployments: count,
    incidents: count,
  }),
  teams: z.array(
    z.object({
      id: z.string(),
      name: z.string(),
      members: count,
      repositories: z.array(z.string()),
      openPullRequests: count,
      pullRequestsAwaitingReview: count.describe(
        'The review queue: open, not draft, not approved, not waiting on the author (pr_review_queue total).',
      ),
      pullRequestsMergedLast7Days: count,
      productionDeploymentsLast7Days: count.describe('Successful production deployments finished in the last 7 days.'),
      failedProductionDeploymentsLast7Days: count,
      openIncidents: count.describe("Open at `at`; an incident's team is its own (its service's), else its repository's or deployment's."),
      workInProgress: count.describe('The wip metric at `at`: open PRs but drafts, plus issues in progress.'),
      itemsInProgress: count.describe("Issues in progress at `at` (the wip metric's issues)."),
      itemsBlocked: count,
      activeSprint: z
        .object({
          id: z.string(),
          name: z.string(),
          endAt: z.string(),
          committedPoints: z.number(),
          donePoints: z.number(),
          items: count,
          doneItems: count,
        })
        .optional(),
    }),
  ),
  freshness: z
    .object({
      syncs: z.array(
        z.object({
          connector: z.string(),
          lastSucceededAt: z.string().nullable().describe('End of the last successful sync (ISO 8601); null: never succeeded.'),
        }),
      ),
      webhooks: z.array(z.object({ provider: z.string(), lastReceivedAt: z.string() })),
      sources: z
        .array(
          z.object({
            source: z.string(),
            lastSync: z.string().nullable().describe('End of the last sync (ISO 8601), whatever its outcome; null: never synced.'),
            lastSyncOk: z.boolean().nullable().describe('Whether that sync succeeded.'),
            lastWebhook: z.string().nullable().describe('Last webhook delivery (ISO 8601).'),
            lagSeconds: z.number().nullable().describe("Seconds since the source's newest data (successful sync or webhook)."),
          }),
        )
        .describe('Per source: last sync, its outcome, last webhook, lag in seconds.'),
    })
    .describe('Last sync per connector, last delivery per webhook provider, and per source the lag.'),
  note: z.string().optional().describe('Set when nothing was synced yet: empty, not all clear.'),
});

/** What `team_overview` says, and `teamstate mcp` logs, when the workspace holds nothing yet. */
export const EMPTY_WORKSPACE_NOTE =
  'This workspace is empty: nothing has been synced or imported yet, so there is nothing to report (not "all clear"). Ask the user to run `teamstate sync` (with a teamstate.config.yaml), `teamstate import <bundle>` or `teamstate demo`, or to point the server at the right database.';

/** True when nothing was ever stored in the workspace. */
export const isEmptyWorkspace = (totals: Record<string, number>) => Object.values(totals).every((n) => n === 0);

/** `team_overview`: every team (or one) at a glance. */
export const teamOverviewTool = defineTool({
  name: 'team_overview',
  title: 'Team overview',
  toolset: 'delivery',
  writes: false,
  description:
    'Start here: team ids, each team at a glance: members, repositories, open PRs, reviews waiting, 7-day merges and deploys, incidents, WIP, blocked, the sprint. If `freshness` is long before `at`, say numbers may be stale.',
  input: z.strictObject({
    team: idArgument().optional(),
  }),
  output: teamOverviewOutput,
  annotations: readOnly,
  async run({ team }, { teamState }) {
    if (team !== undefined) await requireTeam(teamState, team);
    const overview = await teamState.overview({ team });
    return isEmptyWorkspace(overview.totals) ? { ...overview, note: EMPTY_WORKSPACE_NOTE } : overview;
  },
});
