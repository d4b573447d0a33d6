import { formatTimestamp, type MetricQuery, type Sql, type StoreReader } from '@teamstate/core';
import { columns, incidentTeam, integer, sql, text } from '@teamstate/core/store';
import { deployedPullRequests, deployingDeployment, deploymentScope, isProduction } from './delivery.js';
import { inWindow, pullRequestScope } from './scope.js';

/**
 * Turns explain rows into plain records: columns named `…At` holding epoch milliseconds become ISO instants,
 * columns listed in `json` (built with `json_group_array`) become arrays.
 */
export function evidenceRows(rows: readonly Record<string, unknown>[], json: readonly string[] = []): Record<string, unknown>[] {
  return rows.map((row) => {
    const record: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(row)) {
      if (json.includes(key)) record[key] = JSON.parse(typeof value === 'string' ? value : '[]');
      else if (key.endsWith('At') && typeof value === 'number') record[key] = formatTimestamp(value);
      else record[key] = value;
    }
    return record;
  });
}

const SAMPLE = 5;
const labelRows = columns({ n: integer, label: text });

/**
 * Runs `rows` (a SELECT with a `label` column) and, when it returns anything, phrases a warning with the
 * count and the first few labels; `undefined` when the data is clean.
 */
export async function warnAbout(
  db: StoreReader,
  rows: Sql,
  phrase: (count: number, sample: string) => string,
): Promise<string | undefined> {
  const found = await db.all(labelRows, sql`SELECT count(*) OVER () AS n, label FROM (${rows}) ORDER BY label LIMIT ${SAMPLE}`);
  const count = found[0]?.n ?? 0;
  if (count === 0) return undefined;
  const labels = found.map((row) => row.label).join(', ');
  return phrase(count, count > SAMPLE ? `${labels} …` : labels);
}

/** Keeps the warnings that were raised. */
export const warnings = (list: (string | undefined)[]): string[] => list.filter((w): w is string => w !== undefined);

/** Production deployments in the window (and scope) to which no pull request maps. */
export const unmappedDeployments = (db: StoreReader, q: MetricQuery) =>
  warnAbout(
    db,
    sql`SELECT d.id AS label FROM deployments d WHERE d.workspace = ${q.workspace} AND ${inWindow('d.finished_at', q)}
      AND ${isProduction('d', q)} AND ${deploymentScope('d', q)} AND NOT EXISTS (${deployedPullRequests('d', q)})`,
    (n, sample) => `${n} production deployment(s) in the window deploy no pull request (no PR list and no merged PR to map): ${sample}`,
  );

/** Pull requests merged in the window (and scope) that no production deployment deployed. */
export const undeployedPullRequests = (db: StoreReader, q: MetricQuery) =>
  warnAbout(
    db,
    sql`SELECT w.key AS label FROM work_items w WHERE w.workspace = ${q.workspace} AND w.kind = 'pull_request'
      AND ${inWindow('w.merged_at', q)} AND ${pullRequestScope('w', q)} AND ${deployingDeployment('w', q, 'deployment_id')} IS NULL`,
    (n, sample) => `${n} pull request(s) merged in the window were never deployed to production: ${sample}`,
  );

/**
 * Incidents created in the window outside every team's view: those without a team ({@link incidentTeam}) count only in
 * the organisation's view, and for a repository or a person those without a repository are left out.
 */
export const incidentsWithoutRepository = (db: StoreReader, q: MetricQuery) =>
  q.repository === undefined && q.person === undefined
    ? warnAbout(
        db,
        sql`SELECT i.id AS label FROM incidents i WHERE i.workspace = ${q.workspace} AND ${inWindow('i.created_at', q)} AND ${incidentTeam('i')} IS NULL`,
        (n, sample) => `${n} incident(s) created in the window have no team: they count only in the organisation's view: ${sample}`,
      )
    : warnAbout(
        db,
        sql`SELECT i.id AS label FROM incidents i WHERE i.workspace = ${q.workspace} AND ${inWindow('i.created_at', q)} AND i.repository_id IS NULL`,
        (n, sample) =>
          `${n} incident(s) created in the window have no repository: they count only in team and organisation views: ${sample}`,
      );

/** Incidents created in the window with neither a repository, a team nor a deployment: no deployment can be blamed for them. */
export const unattributableIncidents = (db: StoreReader, q: MetricQuery) =>
  warnAbout(
    db,
    sql`SELECT i.id AS label FROM incidents i WHERE i.workspace = ${q.workspace} AND ${inWindow('i.created_at', q)}
      AND i.repository_id IS NULL AND i.deployment_id IS NULL AND i.team_id IS NULL`,
    (n, sample) =>
      `${n} incident(s) created in the window have neither a repository nor a deployment, so no deployment is attributed: ${sample}`,
  );
