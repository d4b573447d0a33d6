import type { Store } from './store/open-store.js';

/** The state of one team at a glance. */
export interface TeamOverview {
  id: string;
  name: string;
  members: number;
  repositories: string[];
  openPullRequests: number;
  /** Open, not draft, no review yet by someone other than the author. */
  pullRequestsAwaitingReview: number;
  pullRequestsMergedLast7Days: number;
  /** Successful production deployments finished in the last 7 days. */
  productionDeploymentsLast7Days: number;
  failedProductionDeploymentsLast7Days: number;
  openIncidents: number;
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
}

const DAY = 86_400_000;

/** Computes the overview in a handful of grouped SQL queries (one pass per table, not per team). */
export async function computeOverview(store: Store, workspace: string, now: Date, team?: string): Promise<Overview> {
  const at = now.getTime();
  const since = at - 7 * DAY;
  const q = async (sql: string, args: (string | number)[] = []) => (await store.execute(sql, [workspace, ...args])).rows;
  const itemTeam = 'COALESCE(w.team_id, (SELECT team_id FROM repositories r WHERE r.workspace = w.workspace AND r.id = w.repository_id))';
  const repoTeam = '(SELECT team_id FROM repositories r WHERE r.workspace = d.workspace AND r.id = d.repository_id)';
  const [totals, teams, members, repos, openPrs, mergedPrs, deploys, incidents, items, sprints] = await Promise.all([
    q(`SELECT (SELECT count(*) FROM teams WHERE workspace = ?1) AS teams, (SELECT count(*) FROM people WHERE workspace = ?1) AS people,
        (SELECT count(*) FROM repositories WHERE workspace = ?1) AS repositories, (SELECT count(*) FROM work_items WHERE workspace = ?1) AS work_items,
        (SELECT count(*) FROM deployments WHERE workspace = ?1) AS deployments, (SELECT count(*) FROM incidents WHERE workspace = ?1) AS incidents`),
    q('SELECT id, name FROM teams WHERE workspace = ? ORDER BY id'),
    q('SELECT team_id, count(*) AS n FROM memberships WHERE workspace = ? GROUP BY team_id'),
    q('SELECT team_id, id FROM repositories WHERE workspace = ? AND team_id IS NOT NULL ORDER BY id'),
    // Open PRs and recently merged ones in two queries, each on its index, not one pass over every PR.
    q(
      `SELECT ${itemTeam} AS team_id, count(*) AS open,
         sum(COALESCE(w.draft, 0) = 0 AND NOT EXISTS (
           SELECT 1 FROM reviews v WHERE v.workspace = w.workspace AND v.work_item_id = w.id AND v.reviewer_id IS NOT w.author_id)) AS awaiting
       FROM work_items w WHERE w.workspace = ?1 AND w.kind = 'pull_request' AND w.state = 'open' AND w.created_at < ?2 GROUP BY 1`,
      [at],
    ),
    q(
      `SELECT ${itemTeam} AS team_id, count(*) AS merged
       FROM work_items w WHERE w.workspace = ?1 AND w.kind = 'pull_request' AND w.merged_at >= ?2 AND w.merged_at < ?3 AND w.created_at < ?3 GROUP BY 1`,
      [since, at],
    ),
    q(
      `SELECT ${repoTeam} AS team_id, sum(d.status = 'success') AS ok, sum(d.status IN ('failure', 'error')) AS failed
       FROM deployments d WHERE d.workspace = ?1 AND lower(d.environment) IN ('production', 'prod') AND d.finished_at >= ?2 AND d.finished_at < ?3 GROUP BY 1`,
      [since, at],
    ),
    q(
      `SELECT ${repoTeam} AS team_id, count(*) AS open FROM incidents d
       WHERE d.workspace = ?1 AND d.created_at < ?2 AND (d.resolved_at IS NULL OR d.resolved_at >= ?2) GROUP BY 1`,
      [at],
    ),
    q(
      `SELECT w.team_id, sum(w.status_category = 'in_progress') AS in_progress, sum(lower(w.state) = 'blocked' OR COALESCE(w.flagged, 0) = 1) AS blocked
       FROM work_items w WHERE w.workspace = ? AND w.kind <> 'pull_request' AND w.kind <> 'epic' AND COALESCE(w.status_category, '') <> 'done' GROUP BY 1`,
    ),
    q(
      `SELECT s.id, s.name, s.team_id, s.end_at,
         count(w.id) AS items, sum(w.status_category = 'done') AS done_items,
         COALESCE(sum(CASE WHEN c.work_item_id IS NOT NULL THEN w.story_points END), 0) AS committed_points,
         COALESCE(sum(CASE WHEN w.status_category = 'done' THEN w.story_points END), 0) AS done_points
       FROM sprints s
       LEFT JOIN work_items w ON w.workspace = s.workspace AND w.sprint_id = s.id
       LEFT JOIN sprint_committed_items c ON c.workspace = s.workspace AND c.sprint_id = s.id AND c.work_item_id = w.id
       WHERE s.workspace = ? AND s.state = 'active' GROUP BY s.id ORDER BY s.start_at`,
    ),
  ]);
  const byTeam = <T>(rows: typeof teams, map: (row: (typeof teams)[number]) => T) => new Map(rows.map((r) => [String(r.team_id), map(r)]));
  const memberCount = byTeam(members, (r) => Number(r.n));
  const openStats = byTeam(openPrs, (r) => r);
  const mergedStats = byTeam(mergedPrs, (r) => Number(r.merged));
  const deployStats = byTeam(deploys, (r) => r);
  const incidentStats = byTeam(incidents, (r) => Number(r.open));
  const itemStats = byTeam(items, (r) => r);
  const sprintOf = byTeam(sprints, (r) => r);
  const t = totals[0]!;
  return {
    workspace,
    at: now.toISOString(),
    totals: {
      teams: Number(t.teams),
      people: Number(t.people),
      repositories: Number(t.repositories),
      workItems: Number(t.work_items),
      deployments: Number(t.deployments),
      incidents: Number(t.incidents),
    },
    teams: teams
      .filter((row) => team === undefined || row.id === team)
      .map((row): TeamOverview => {
        const id = String(row.id);
        const pr = openStats.get(id);
        const dep = deployStats.get(id);
        const item = itemStats.get(id);
        const sprint = sprintOf.get(id);
        return {
          id,
          name: String(row.name),
          members: memberCount.get(id) ?? 0,
          repositories: repos.filter((r) => String(r.team_id) === id).map((r) => String(r.id)),
          openPullRequests: Number(pr?.open ?? 0),
          pullRequestsAwaitingReview: Number(pr?.awaiting ?? 0),
          pullRequestsMergedLast7Days: mergedStats.get(id) ?? 0,
          productionDeploymentsLast7Days: Number(dep?.ok ?? 0),
          failedProductionDeploymentsLast7Days: Number(dep?.failed ?? 0),
          openIncidents: incidentStats.get(id) ?? 0,
          itemsInProgress: Number(item?.in_progress ?? 0),
          itemsBlocked: Number(item?.blocked ?? 0),
          ...(sprint
            ? {
                activeSprint: {
                  id: String(sprint.id),
                  name: String(sprint.name),
                  endAt: new Date(Number(sprint.end_at)).toISOString(),
                  committedPoints: Number(sprint.committed_points),
                  donePoints: Number(sprint.done_points),
                  items: Number(sprint.items),
                  doneItems: Number(sprint.done_items ?? 0),
                },
              }
            : {}),
        };
      }),
  };
}
