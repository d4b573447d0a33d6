import type { Incident } from '../../kernel/model/delivery.js';
import type { InValue } from '../../kernel/store/driver.js';
import { columns, integer, nullable, text } from '../../kernel/store/row-decoder.js';
import type { BriefWindow, IncidentBriefDeps } from './brief-deps.js';
import { type Candidate, rankSuspects, SUSPECT_WINDOW_MS, type Suspect } from './suspects.js';

const candidateRows = columns({
  id: text,
  repository_id: text,
  environment: text,
  status: text,
  sha: nullable(text),
  finished_at: integer,
  team_id: nullable(text),
  has_list: integer,
  rolled_back_by: nullable(text),
});
const prRows = columns({ deployment: text, id: text, paths: nullable(text) });
const prPaths = columns({ id: text, paths: nullable(text) });
const spanRows = columns({ id: text, repository_id: text, upto: integer, since: integer });

/** A candidate deployment's pull request: its id and the paths it changed (JSON). */
type DeployedPullRequest = { deployment: string; id: string; paths: string | null };

const environmentMatch = (alias: string, patterns: readonly string[]) =>
  `(${patterns.map(() => `lower(${alias}.environment) GLOB ?`).join(' OR ') || '0'})`;

/** The deployments that may have caused the incident, ranked (see {@link rankSuspects}). */
export async function briefSuspects(
  deps: IncidentBriefDeps,
  incident: Incident,
  team: string | undefined,
  window: BriefWindow,
): Promise<Suspect[]> {
  const candidates = await candidateDeployments(deps, incident, window);
  const byDeployment = await pullRequestsByDeployment(
    deps,
    candidates.map((c) => c.id),
  );
  return rankSuspects(
    {
      id: incident.id,
      createdAt: window.start,
      repository: incident.repository ?? null,
      team: team ?? null,
      service: incident.service ?? null,
      deployment: incident.deployment ?? null,
    },
    candidates.map(
      (c): Candidate => ({
        id: c.id,
        repository: c.repository_id,
        environment: c.environment,
        status: c.status,
        sha: c.sha,
        finishedAt: c.finished_at,
        team: c.team_id,
        pullRequests: byDeployment.get(c.id) ?? [],
        rolledBackBy: c.rolled_back_by,
      }),
    ),
  );
}

/**
 * Production deployments (any status) finished in [start − 24 h, start], and the one the incident names; each with
 * the later deployment that rolled it back, if one did.
 */
async function candidateDeployments(deps: IncidentBriefDeps, incident: Incident, window: BriefWindow) {
  const { store, workspace } = deps;
  const patterns = deps.productionEnvironments.map((p) => p.toLowerCase());
  const candidateSql = `SELECT d.id, d.repository_id, d.environment, d.status, d.sha, d.finished_at, r.team_id,
      d.has_pull_request_list AS has_list,
      (SELECT later.id FROM deployments later
        WHERE later.workspace = d.workspace AND later.repository_id = d.repository_id AND later.environment = d.environment
          AND later.finished_at > d.finished_at AND later.finished_at <= ? AND later.status = 'success'
          AND later.sha IS NOT NULL AND later.sha IS NOT d.sha
          AND later.sha = (SELECT prev.sha FROM deployments prev
            WHERE prev.workspace = d.workspace AND prev.repository_id = d.repository_id AND prev.environment = d.environment
              AND prev.finished_at < d.finished_at AND prev.status = 'success' ORDER BY prev.finished_at DESC, prev.id DESC LIMIT 1)
        ORDER BY later.finished_at, later.id LIMIT 1) AS rolled_back_by
    FROM deployments d LEFT JOIN repositories r ON r.workspace = d.workspace AND r.id = d.repository_id
    WHERE d.workspace = ? AND ${environmentMatch('d', patterns)}
      AND d.id IN (SELECT w.id FROM deployments w INDEXED BY deployments_window_idx WHERE w.workspace = ? AND w.finished_at >= ? AND w.finished_at <= ?
        UNION SELECT ?)`;
  const args = [window.until, workspace, ...patterns, workspace, window.from, window.start, incident.deployment ?? null] as InValue[];
  return candidateRows.all((await store.execute(candidateSql, args)).rows);
}

/** Each candidate's pull requests: its list, else those of its repository merged since the deployment before it. */
async function pullRequestsByDeployment(
  deps: IncidentBriefDeps,
  deployments: readonly string[],
): Promise<Map<string, { id: string; paths: string[] }[]>> {
  const { store, workspace } = deps;
  const ids = JSON.stringify(deployments);
  // Listed PRs by the list's primary key; the others of each repository merged since the deployment before it, by the
  // repository's merged index (a correlated bound inside the join made the planner scan every work item).
  const listed = prRows.all(
    (
      await store.execute(
        `SELECT l.deployment_id AS deployment, w.id, w.paths FROM json_each(?2) j
          CROSS JOIN deployment_pull_requests l ON l.workspace = ?1 AND l.deployment_id = j.value
          CROSS JOIN work_items w ON w.workspace = l.workspace AND w.id = l.work_item_id`,
        [workspace, ids],
      )
    ).rows,
  );
  const merged = await mergedSinceDeploymentBefore(deps, ids);
  const prs = [...listed, ...merged].sort((a, b) =>
    a.deployment < b.deployment ? -1 : a.deployment > b.deployment ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0,
  );
  const byDeployment = new Map<string, { id: string; paths: string[] }[]>();
  for (const pr of prs) {
    const list = byDeployment.get(pr.deployment) ?? [];
    list.push({ id: pr.id, paths: pr.paths === null ? [] : (JSON.parse(pr.paths) as string[]) });
    byDeployment.set(pr.deployment, list);
  }
  return byDeployment;
}

/** For each deployment without a pull request list (`ids`, JSON), its repository's PRs merged since the deployment before it. */
async function mergedSinceDeploymentBefore(deps: IncidentBriefDeps, ids: string): Promise<DeployedPullRequest[]> {
  const { store, workspace } = deps;
  const spans = spanRows.all(
    (
      await store.execute(
        `SELECT d.id, d.repository_id, d.finished_at AS upto,
            COALESCE((SELECT p.finished_at FROM deployments p INDEXED BY deployments_latest_idx
              WHERE p.workspace = d.workspace AND p.repository_id = d.repository_id AND p.environment = d.environment
                AND p.finished_at < d.finished_at ORDER BY p.finished_at DESC LIMIT 1), d.finished_at - ${SUSPECT_WINDOW_MS}) AS since
          FROM json_each(?2) j CROSS JOIN deployments d ON d.workspace = ?1 AND d.id = j.value WHERE d.has_pull_request_list = 0`,
        [workspace, ids],
      )
    ).rows,
  );
  const merged: DeployedPullRequest[] = [];
  for (const span of spans) {
    const { rows } = await store.execute(
      `SELECT w.id, w.paths FROM work_items w INDEXED BY work_items_repository_merged_idx
        WHERE w.workspace = ? AND w.repository_id = ? AND w.merged_at > ? AND w.merged_at <= ? AND w.kind = 'pull_request'`,
      [workspace, span.repository_id, span.since, span.upto],
    );
    for (const row of prPaths.all(rows)) merged.push({ deployment: span.id, ...row });
  }
  return merged;
}
