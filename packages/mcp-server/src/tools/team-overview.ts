import { z } from 'zod';
import { idArgument } from './arguments.js';
import { requireTeam } from './references.js';
import { defineTool, readOnly } from './tool-definition.js';

const count = z.int().nonnegative();

const teamOverviewOutput = z.object({
  workspace: z.string(),
  at: z.string().describe('The instant the overview is computed at (ISO 8601, UTC).'),
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
      pullRequestsAwaitingReview: count.describe('Open, not draft, no review yet by someone other than the author.'),
      pullRequestsMergedLast7Days: count,
      productionDeploymentsLast7Days: count.describe('Successful production deployments finished in the last 7 days.'),
      failedProductionDeploymentsLast7Days: count,
      openIncidents: count,
      itemsInProgress: count,
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
    })
    .describe('How fresh the data is: when each connector last synced successfully and each webhook provider last delivered.'),
  note: z
    .string()
    .optional()
    .describe('Set when the workspace holds nothing yet: the answer is empty because nothing was synced, not because all is well.'),
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
    "The engineering organisation at a glance: totals, and per team its members, repositories, open PRs and PRs awaiting review, PRs merged and production deployments (ok/failed) in the last 7 days, open incidents, items in progress and blocked, and the active sprint's progress; `freshness` says when each connector last synced successfully and webhooks last arrived (if that is long before `at`, tell the user the numbers may be stale). Start here to learn the team ids and how each team is doing; pass team to get one team only.",
  input: z.strictObject({
    team: idArgument('A team id (see the ids this tool returns without it); omit for every team.').optional(),
  }),
  output: teamOverviewOutput,
  annotations: readOnly,
  async run({ team }, { teamState }) {
    if (team !== undefined) await requireTeam(teamState, team);
    const overview = await teamState.overview({ team });
    return isEmptyWorkspace(overview.totals) ? { ...overview, note: EMPTY_WORKSPACE_NOTE } : overview;
  },
});
