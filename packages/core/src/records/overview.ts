import type { Store } from '../kernel/store/open-store.js';
import { columns, integer, nullable, real, text } from '../kernel/store/row-decoder.js';
import { raw, sql } from '../kernel/store/sql.js';
import { createStoreReader } from '../kernel/store/store-reader.js';
import { awaitingReviewAt, incidentOpenAt, incidentTeam, openPullRequestAt, workItemTeam } from './shared-counts.js';
import { productionDeployment, productionEnvironment } from './store/deployment-mapping.js';
import { LAST_SYNC_SUCCESS } from './sync/run-sync.js';
import { computeFreshness, type SourceFreshness } from './sync/sync-sources.js';
import { workInProgress } from './work-in-progress.js';

/** The state of one team at a glance. */
export interface TeamOverview {
  id: string;
  name: string;
  members: number;
  repositories: string[];
  openPullRequests: number;
  /**
   * Open, not draft, approved by nobody and not waiting on its author (the latest review asks for no changes): the
   * PRs `pr_review_queue` lists.
   */
  pullRequestsAwaitingReview: number;
  pullRequestsMergedLast7Days: number;
  /** Successful production deployments finished in the last 7 days. */
  productionDeploymentsLast7Days: number;
  failedProductionDeploymentsLast7Days: number;
  /** Incidents open at the overview's instant whose team (their own or their service's, else their repository's or deployment's) is this one. */
  openIncidents: number;
  /**
   * Work in progress at the overview's instant, the `wip` metric's count: open pull requests that are not drafts
   * plus issues in progress (`itemsInProgress`).
   */
  workInProgress: number;
  /** Issues (any work item but a pull request) in progress at the overview's instant: the `issues` of the `wip` metric. */
  itemsInProgress: number;
  itemsBlocked: number;
  activeSprint?: { id: string; name: string; endAt: string; committedPoints: number; donePoints: number; items: number; doneItems: number };
}

/** The workspace at a glance: totals and one {@link TeamOverview} per team. */
export interface Overview {
  workspace: string;
  at: string;
  totals: { teams: number; people: number; repositories: number; workItems: number; deployments: number; incidents: number };
  teams: TeamOverview[];
  /** How fresh the data is: compare these instants with `at` before reading the numbers as today's. */
  freshness: Freshness;
}

/** When each connector last synced successfully, and when each webhook provider last delivered. */
export interface Freshness {
  /** Every configured connector and every connector that ever synced into the workspace, by id; `null`: never succeeded. */
  syncs: { connector: string; lastSucceededAt: string | null }[];
  /** Every provider that ever delivered a webhook (or a Slack interaction), by name. */
  webhooks: { provider: string; lastReceivedAt: string }[];
  /** Per source, what `ts.freshness()` returns: last sync, whether it succeeded, last webhook, lag in seconds. */
  sources: SourceFreshness[];
}

const DAY = 86_400_000;

// The rows of each query below, by the columns it names (counts are numbers; a sum over no rows is NULL).
const count = integer;
const sumOf = nullable(integer);
const teamId = nullable(text);
const totalRows = columns({ teams: count, people: count, repositories: count, work_items: count, deployments: count, incidents: count });
const teamRows = columns({ id: text, name: text });
const memberRows = columns({ team_id: text, n: count });
const repositoryRows = columns({ team_id: text, id: text });
const openPrRows = columns({ team_id: teamId, open: count, awaiting: sumOf });
const mergedPrRows = columns({ team_id: teamId, merged: count });
const deployRows = columns({ team_id: teamId, ok: sumOf, failed: sumOf });
const incidentRows = columns({ team_id: teamId, open: count });
const itemRows = columns({ team_id: teamId, blocked: sumOf });
const wipRows = columns({ n: count, prs: sumOf });
const sprintRows = columns({
  id: text,
  name: text,
  team_id: text,
  end_at: integer,
  items: count,
  done_items: sumOf,
  committed_points: real,
  done_points: real,
});
const syncRows = columns({ connector: text, updated_at: integer });
const webhookRows = columns({ provider: text, received_at: integer });

/**
 * Computes the overview in a handful of grouped SQL queries (one pass per table, not per team), and each team's work in
 * progress with the `wip` metric's own statement (index ranges of that team). The counts other surfaces show too come
 * from the definitions in `shared-counts.ts` and `work-in-progress.ts`.
 */
export async function computeOverview(
  store: Store,
  workspace: string,
  now: Date,
  team?: string,
  connectors: readonly string[] = [],
  productionEnvironments: readonly string[] = ['production', 'prod'],
): Promise<Overview> {
  const at = now.getTime();
  const since = at - 7 * DAY;
  // Read-only, with the one sql tag; every row is checked against the columns it names.
  const db = createStoreReader(store, workspace);
  const w = workspace;
  const itemTeam = workItemTeam('w');
  const repoTeam = raw('(SELECT team_id FROM repositories r WHERE r.workspace = d.workspace AND r.id = d.repository_id)');
  const [totals, teams, members, repos, openPrs, mergedPrs, deploys, incidents, items, sprints, syncs, webhooks, sources] =
    await Promise.all([
      db.get(
        totalRows,
        sql`SELECT (SELECT count(*) FROM teams WHERE workspace = ${w}) AS teams, (SELECT count(*) FROM people WHERE workspace = ${w}) AS people,
        (SELECT count(*) FROM repositories WHERE workspace = ${w}) AS repositories, (SELECT count(*) FROM work_items WHERE workspace = ${w}) AS work_items,
        (SELECT count(*) FROM deployments WHERE workspace = ${w}) AS deployments, (SELECT count(*) FROM incidents WHERE workspace = ${w}) AS incidents`,
      ),
      db.all(teamRows, sql`SELECT id, name FROM teams WHERE workspace = ${w} ORDER BY id`),
      db.all(memberRows, sql`SELECT team_id, count(*) AS n FROM memberships WHERE workspace = ${w} GROUP BY team_id`),
      db.all(repositoryRows, sql`SELECT team_id, id FROM repositories WHERE workspace = ${w} AND team_id IS NOT NULL ORDER BY id`),
      // Open PRs and recently merged ones in two queries, each on its index, not one pass over every PR.
      db.all(
        openPrRows,
        sql`SELECT ${itemTeam} AS team_id, count(*) AS open, sum(${awaitingReviewAt('w', at)}) AS awaiting
       FROM work_items w WHERE w.workspace = ${w} AND ${openPullRequestAt('w', at)} GROUP BY 1`,
      ),
      db.all(
        mergedPrRows,
        sql`SELECT ${itemTeam} AS team_id, count(*) AS merged
       FROM work_items w WHERE w.workspace = ${w} AND w.kind = 'pull_request' AND w.merged_at >= ${since} AND w.merged_at < ${at} AND w.created_at < ${at} GROUP BY 1`,
      ),
      db.all(
        deployRows,
        sql`SELECT ${repoTeam} AS team_id, sum(${productionDeployment('d', productionEnvironments)}) AS ok, sum(d.status IN ('failure', 'error')) AS failed
       FROM deployments d WHERE d.workspace = ${w} AND ${productionEnvironment('d', productionEnvironments)} AND d.finished_at >= ${since} AND d.finished_at < ${at} GROUP BY 1`,
      ),
      db.all(
        incidentRows,
        sql`SELECT ${incidentTeam('i')} AS team_id, count(*) AS open FROM incidents i WHERE i.workspace = ${w} AND ${incidentOpenAt('i', at)} GROUP BY 1`,
      ),
      db.all(
        itemRows,
        sql`SELECT w.team_id, sum(lower(w.state) = 'blocked' OR COALESCE(w.flagged, 0) = 1) AS blocked
       FROM work_items w WHERE w.workspace = ${w} AND w.kind <> 'pull_request' AND w.kind <> 'epic' AND COALESCE(w.status_category, '') <> 'done' GROUP BY 1`,
      ),
      db.all(
        sprintRows,
        sql`SELECT s.id, s.name, s.team_id, s.end_at,
         count(w.id) AS items, sum(w.status_category = 'done') AS done_items,
         COALESCE(sum(CASE WHEN c.work_item_id IS NOT NULL THEN w.story_points END), 0) AS committed_points,
         COALESCE(sum(CASE WHEN w.status_category = 'done' THEN w.story_points END), 0) AS done_points
       FROM sprints s
       LEFT JOIN work_items w ON w.workspace = s.workspace AND w.sprint_id = s.id
       LEFT JOIN sprint_committed_items c ON c.workspace = s.workspace AND c.sprint_id = s.id AND c.work_item_id = w.id
       WHERE s.workspace = ${w} AND s.state = 'active' GROUP BY s.id ORDER BY s.start_at`,
      ),
      db.all(syncRows, sql`SELECT connector, updated_at FROM sync_cursors WHERE workspace = ${w} AND key = ${LAST_SYNC_SUCCESS}`),
      db.all(
        webhookRows,
        sql`SELECT provider, max(received_at) AS received_at FROM webhook_deliveries WHERE workspace = ${w} GROUP BY provider ORDER BY provider`,
      ),
      computeFreshness(store, workspace, now, connectors, LAST_SYNC_SUCCESS),
    ]);
  // The work in progress of each team shown, by the one definition the `wip` metric counts (a few index ranges a team).
  const shown = teams.filter((row) => team === undefined || row.id === team);
  const wip = new Map(
    await Promise.all(
      shown.map(async (row) => {
        const found = await db.get(
          wipRows,
          sql`SELECT count(*) AS n, sum(kind = 'pull_request') AS prs FROM (${workInProgress({ workspace: w, to: at, team: row.id })})`,
        );
        return [row.id, { total: found?.n ?? 0, issues: (found?.n ?? 0) - (found?.prs ?? 0) }] as const;
      }),
    ),
  );
  // Rows without a team (team_id NULL) are keyed by null, which no team id matches.
  const byTeam = <R extends { team_id: string | null }, T>(rows: R[], map: (row: R) => T) => new Map(rows.map((r) => [r.team_id, map(r)]));
  const memberCount = byTeam(members, (r) => r.n);
  const openStats = byTeam(openPrs, (r) => r);
  const mergedStats = byTeam(mergedPrs, (r) => r.merged);
  const deployStats = byTeam(deploys, (r) => r);
  const incidentStats = byTeam(incidents, (r) => r.open);
  const itemStats = byTeam(items, (r) => r);
  const sprintOf = byTeam(sprints, (r) => r);
  const t = totals!;
  const lastSuccess = new Map(syncs.map((r) => [r.connector, new Date(r.updated_at).toISOString()]));
  const freshness: Freshness = {
    syncs: [...new Set([...connectors, ...lastSuccess.keys()])]
      .sort()
      .map((connector) => ({ connector, lastSucceededAt: lastSuccess.get(connector) ?? null })),
    webhooks: webhooks.map((r) => ({ provider: r.provider, lastReceivedAt: new Date(r.received_at).toISOString() })),
    sources: sources.sources,
  };
  return {
    workspace,
    at: now.toISOString(),
    totals: {
      teams: t.teams,
      people: t.people,
      repositories: t.repositories,
      workItems: t.work_items,
      deployments: t.deployments,
      incidents: t.incidents,
    },
    teams: shown.map((row): TeamOverview => {
      const id = row.id;
      const pr = openStats.get(id);
      const dep = deployStats.get(id);
      const item = itemStats.get(id);
      const sprint = sprintOf.get(id);
      return {
        id,
        name: row.name,
        members: memberCount.get(id) ?? 0,
        repositories: repos.filter((r) => r.team_id === id).map((r) => r.id),
        openPullRequests: pr?.open ?? 0,
        pullRequestsAwaitingReview: pr?.awaiting ?? 0,
        pullRequestsMergedLast7Days: mergedStats.get(id) ?? 0,
        productionDeploymentsLast7Days: dep?.ok ?? 0,
        failedProductionDeploymentsLast7Days: dep?.failed ?? 0,
        openIncidents: incidentStats.get(id) ?? 0,
        workInProgress: wip.get(id)?.total ?? 0,
        itemsInProgress: wip.get(id)?.issues ?? 0,
        itemsBlocked: item?.blocked ?? 0,
        ...(sprint
          ? {
              activeSprint: {
                id: sprint.id,
                name: sprint.name,
                endAt: new Date(sprint.end_at).toISOString(),
                committedPoints: sprint.committed_points,
                donePoints: sprint.done_points,
                items: sprint.items,
                doneItems: sprint.done_items ?? 0,
              },
            }
          : {}),
      };
    }),
    freshness,
  };
}
