import { createHash } from 'node:crypto';
import type { InValue, Transaction } from '../../kernel/store/driver.js';
import type { Store, StoreKind } from '../../kernel/store/open-store.js';
import { columns, flag, integer, nullable, scalar, text } from '../../kernel/store/row-decoder.js';
import { join, raw, type Sql, sql, valueList } from '../../kernel/store/sql.js';
import type { ResolvedMetricSettings } from '../../spec/metric-calculator.js';
import { dropIndexes } from './bulk-indexes.js';

/** The settings the derived delivery rows depend on. */
export type DeliverySettings = Pick<ResolvedMetricSettings, 'productionEnvironments' | 'reworkLabels'>;

/**
 * The key of a pair of production environment patterns and rework labels in the derived delivery tables
 * (`pull_request_deployments.settings`, `deployment_rework.settings`, `incident_deployments.settings`): a digest of the
 * JSON of both lists, lower-cased, in the order given (the order changes nothing but the key). Every row and every
 * index entry of those tables repeats it: 12 characters (72 bits of SHA-256) instead of the JSON's 50 or more keep them
 * about a third smaller, and two settings a workspace uses never meet on one key.
 */
export const deliverySettingsKey = (settings: DeliverySettings): string =>
  createHash('sha256').update(deliverySettingsJson(settings)).digest('base64url').slice(0, 12);

/**
 * The JSON of both lists, lower-cased: how `deployment_mapping_keys` and `deployment_mapping_stale` (a few rows a
 * workspace) name the settings built, since their triggers read the production patterns from it.
 */
const deliverySettingsJson = (settings: DeliverySettings): string =>
  JSON.stringify([settings.productionEnvironments.map((p) => p.toLowerCase()), settings.reworkLabels.map((l) => l.toLowerCase())]);

/** Deployment `d` is a production deployment: status `success` and an environment matching one of the GLOB patterns. */
export function productionDeployment(d: string, patterns: readonly string[]): Sql {
  return sql`${raw(d)}.status = 'success' AND ${productionEnvironment(d, patterns)}`;
}

/** Deployment `d` went to an environment matching a production pattern (case-insensitive), whatever its status. */
export function productionEnvironment(d: string, patterns: readonly string[]): Sql {
  const globs = patterns.map((pattern) => sql`lower(${raw(d)}.environment) GLOB ${pattern.toLowerCase()}`);
  return sql`(${join(globs, ' OR ')})`;
}

/**
 * A `LIKE` pattern that matches a stored label list (JSON, lower-cased by SQLite) holding `label`: its JSON string in
 * quotes, with the `LIKE` wildcards escaped by `!`.
 */
const labelPattern = (label: string) => `%${JSON.stringify(label).replace(/[!%_]/g, (c) => `!${c}`)}%`;

/**
 * Pull request `w` is rework: a rework label (case-insensitive) or a title starting with `Revert `. A `LIKE` on the
 * stored list first (every list holding a rework label matches it, since SQLite's ASCII `lower()` commutes with JSON
 * escaping), so only candidate lists are parsed with `json_each`, which decides.
 */
export function reworkPullRequest(w: string, labels: readonly string[]): Sql {
  const lowered = labels.map((label) => label.toLowerCase());
  const candidate = join(
    lowered.map((label) => sql`lower(${raw(w)}.labels) LIKE ${labelPattern(label)} ESCAPE '!'`),
    ' OR ',
  );
  return sql`(${raw(w)}.title GLOB 'Revert *'
    OR (${raw(w)}.labels IS NOT NULL AND (${candidate})
      AND EXISTS (SELECT 1 FROM json_each(${raw(w)}.labels) rl WHERE lower(rl.value) IN (${valueList(lowered)}))))`;
}

/**
 * Inserts the mapping of the merged pull requests `w` of `source` (a FROM clause naming `w`, ending in a WHERE
 * condition): each PR's deploying production deployment (docs/metrics.md, "Deployment → pull request mapping"): the
 * first production deployment listing it in `(finished_at, id)` order, else the first production deployment of its
 * repository without a PR list finishing at or after its merge. Rows go in in primary-key order: half the time of a
 * build in merge order.
 */
function insertMapping(key: string, settings: DeliverySettings, source: Sql): Sql {
  const listed = sql`(SELECT ld.id FROM deployment_pull_requests ll CROSS JOIN deployments ld ON ld.workspace = ll.workspace AND ld.id = ll.deployment_id
      WHERE ll.workspace = w.workspace AND ll.work_item_id = w.id AND ${productionDeployment('ld', settings.productionEnvironments)}
      ORDER BY ld.finished_at, ld.id LIMIT 1)`;
  const heuristic = sql`(SELECT hd.id FROM deployments hd
      WHERE hd.workspace = m.workspace AND hd.repository_id = m.repository_id AND hd.has_pull_request_list = 0
        AND ${productionDeployment('hd', settings.productionEnvironments)} AND hd.finished_at >= m.merged_at
      ORDER BY hd.finished_at, hd.id LIMIT 1)`;
  return sql`WITH m AS MATERIALIZED (SELECT w.workspace, w.id, w.repository_id, w.merged_at,
          COALESCE(w.first_commit_at, w.created_at) AS started_at, ${listed} AS listed
        FROM ${source} AND +w.kind = 'pull_request' AND w.merged_at IS NOT NULL),
      n AS MATERIALIZED (SELECT m.*, COALESCE(m.listed, ${heuristic}) AS deployment FROM m)
    INSERT INTO pull_request_deployments (workspace, settings, work_item_id, repository_id, deployment_id, finished_at, merged_at, started_at, listed)
    SELECT n.workspace, ${key}, n.id, COALESCE(n.repository_id, ''), d.id, d.finished_at, n.merged_at, n.started_at, n.listed IS NOT NULL
      FROM n CROSS JOIN deployments d ON d.workspace = n.workspace AND d.id = n.deployment
      WHERE n.deployment IS NOT NULL
      ORDER BY n.id`;
}

/** How far back an incident of a service (an on-call tool's) looks for the deployment it is attributed to. */
export const SERVICE_ATTRIBUTION_WINDOW_MS = 24 * 3_600_000;

/**
 * The id of the deployment incident `i` is attributed to: its own `deployment_id` if given; else the latest
 * production deployment of its repository finished at or before it was created (for an incident of a service, an
 * on-call tool's, only one finished within 24 hours before); else, for an incident with a team but no repository, the
 * latest production deployment of any of the team's repositories finished within 24 hours before it was created;
 * NULL otherwise.
 */
export function attributedDeployment(i: string, patterns: readonly string[]): Sql {
  const window = raw(String(SERVICE_ATTRIBUTION_WINDOW_MS));
  return sql`CASE WHEN ${raw(i)}.deployment_id IS NOT NULL THEN ${raw(i)}.deployment_id
    WHEN ${raw(i)}.repository_id IS NOT NULL THEN (SELECT aad.id FROM deployments aad
      WHERE aad.workspace = ${raw(i)}.workspace AND aad.repository_id = ${raw(i)}.repository_id AND ${productionDeployment('aad', patterns)}
        AND aad.finished_at <= ${raw(i)}.created_at AND (${raw(i)}.service IS NULL OR aad.finished_at >= ${raw(i)}.created_at - ${window})
      ORDER BY aad.finished_at DESC, aad.id DESC LIMIT 1)
    WHEN ${raw(i)}.team_id IS NOT NULL THEN (SELECT atd.id FROM repositories atr CROSS JOIN deployments atd
        ON atd.workspace = atr.workspace AND atd.repository_id = atr.id
      WHERE atr.workspace = ${raw(i)}.workspace AND atr.team_id = ${raw(i)}.team_id AND ${productionDeployment('atd', patterns)}
        AND atd.finished_at <= ${raw(i)}.created_at AND atd.finished_at >= ${raw(i)}.created_at - ${window}
      ORDER BY atd.finished_at DESC, atd.id DESC LIMIT 1)
    ELSE NULL END`;
}

/**
 * Inserts the attributions of the workspace's incidents matched by `incidents` (a condition over `i`): each one's
 * {@link attributedDeployment} when that deployment exists and is a production deployment.
 */
function insertAttributions(workspace: string, key: string, settings: DeliverySettings, incidents: Sql): Sql {
  return sql`INSERT INTO incident_deployments (workspace, settings, incident_id, deployment_id, repository_id, finished_at, created_at, resolved_at)
    SELECT i.workspace, ${key}, i.id, d.id, d.repository_id, d.finished_at, i.created_at, i.resolved_at
      FROM incidents i CROSS JOIN deployments d ON d.workspace = i.workspace AND d.id = ${attributedDeployment('i', settings.productionEnvironments)}
      WHERE i.workspace = ${workspace} AND ${incidents} AND ${productionDeployment('d', settings.productionEnvironments)}`;
}

/**
 * Inserts the production deployments `d` (matched by `deployments`, a FROM clause naming `d` and a condition) that
 * deploy a rework pull request: one their PR list names, or (without a list) one the stored mapping gives them.
 */
function insertRework(key: string, settings: DeliverySettings, deployments: Sql): Sql {
  const rework = (w: string) => reworkPullRequest(w, settings.reworkLabels);
  return sql`INSERT INTO deployment_rework (workspace, settings, deployment_id, repository_id, finished_at)
    SELECT d.workspace, ${key}, d.id, d.repository_id, d.finished_at FROM ${deployments}
      AND ${productionDeployment('d', settings.productionEnvironments)}
      AND (EXISTS (SELECT 1 FROM deployment_pull_requests rdl CROSS JOIN work_items rw ON rw.workspace = rdl.workspace AND rw.id = rdl.work_item_id
          WHERE rdl.workspace = d.workspace AND rdl.deployment_id = d.id AND rw.kind = 'pull_request' AND ${rework('rw')})
        OR (d.has_pull_request_list = 0 AND EXISTS (SELECT 1 FROM pull_request_deployments rm CROSS JOIN work_items rw ON rw.workspace = rm.workspace AND rw.id = rm.work_item_id
          WHERE rm.workspace = d.workspace AND rm.settings = ${key} AND rm.deployment_id = d.id AND rm.listed = 0 AND ${rework('rw')})))`;
}

/** The bound of a repository marked stale as a whole: every merge is at or after it. */
const WHOLE = Number.MIN_SAFE_INTEGER;

/** Whether a workspace's delivery rows were built for a settings key, and whether a repository is stale. */
const mappingStateRows = columns({ built: flag, stale: flag });
const staleRows = columns({ repository_id: text, since: nullable(integer) });
const idRows = columns({ id: text });

/** The page cache of a first build's transaction, in KiB. */
const FIRST_BUILD_CACHE_KIB = 128 * 1024;

/**
 * Runs `fn` with the transaction's connection holding a page cache of `kib`, then sets it back:
 * the local driver keeps its connections in a pool, and a read on this one must not grow that large.
 */
async function withCacheSize<T>(tx: Transaction, kib: number, fn: () => Promise<T>): Promise<T> {
  const before = scalar((await tx.execute('PRAGMA cache_size')).rows, 'cache_size', integer);
  await tx.execute(`PRAGMA cache_size = -${kib}`);
  try {
    return await fn();
  } finally {
    await tx.execute(`PRAGMA cache_size = ${before}`);
  }
}

/**
 * Runs `insert` into `table`; when the table is empty, with its indexes dropped first and created again after it from
 * their own `CREATE INDEX` text (in the same transaction: a failure leaves them as they were). SQLite builds an index
 * from its rows sorted once, far faster than it grows one row by row out of its order.
 */
async function withIndexesBuiltAfter<T>(tx: Transaction, table: string, insert: () => Promise<T>): Promise<T> {
  const empty = scalar((await tx.execute(`SELECT NOT EXISTS (SELECT 1 FROM ${table}) AS empty`)).rows, 'empty', flag);
  if (!empty) return insert();
  const indexes = await dropIndexes(tx, table);
  const result = await insert();
  for (const index of indexes) await tx.execute(index);
  return result;
}

/**
 * Builds the derived delivery rows of a workspace for `settings` whole, in the open write transaction `tx`, replacing
 * any it had (and any repository marked stale for them), and records them as built: the first build of
 * {@link ensureDeploymentMapping}, and the end of a bulk import (`importBundle`, `importBundleStream`). Returns how
 * many `pull_request_deployments` rows it wrote.
 */
export async function buildDeploymentMapping(
  tx: Transaction,
  kind: StoreKind,
  workspace: string,
  settings: DeliverySettings,
  /** A larger page cache for the build, in KiB (a local file's); the transaction's own when left out. */
  cacheKib?: number,
): Promise<number> {
  const key = deliverySettingsKey(settings);
  const run = async (statement: Sql) => tx.execute({ sql: statement.text, args: statement.args as InValue[] });
  for (const table of ['pull_request_deployments', 'deployment_rework', 'incident_deployments', 'deployment_mapping_stale'])
    await run(sql`DELETE FROM ${raw(table)} WHERE workspace = ${workspace} AND settings = ${key}`);
  // A first build writes a row per merged pull request (1.4 million at 10,000 engineers) into a table with six
  // indexes: each index is grown out of order, which spills a 32 MB cache and re-reads its pages from the log
  // (63 s at that size). Into an empty table the rows go in alone and each index is then built from sorted rows,
  // with a larger page cache for the build (a local file's, on a first read): 39 s. A bulk import keeps its own cache:
  // the larger one took its peak memory from 446 to 603 MB.
  const insert = async () => (await run(insertMapping(key, settings, sql`work_items w WHERE w.workspace = ${workspace}`))).rowsAffected;
  // Only in a local file: SQLite refuses to drop an index while the connection has an unfinished statement, which a
  // `:memory:` store's one connection may still hold (and a server's statements are its own).
  const build = () => withIndexesBuiltAfter(tx, 'pull_request_deployments', insert);
  const rows = kind !== 'file' ? await insert() : cacheKib === undefined ? await build() : await withCacheSize(tx, cacheKib, build);
  await run(insertRework(key, settings, sql`deployments d WHERE d.workspace = ${workspace}`));
  await run(insertAttributions(workspace, key, settings, raw('1')));
  await run(
    sql`INSERT OR IGNORE INTO deployment_mapping_keys (workspace, settings) VALUES (${workspace}, ${deliverySettingsJson(settings)})`,
  );
  return rows;
}

/** What {@link ensureDeploymentMapping} did: nothing, a build of the whole workspace, or a rebuild of some repositories. */
export interface DeploymentMappingRefresh {
  /** `current`: nothing to do; `all`: the first build for these settings; `repositories`: the stale ones only. */
  readonly rebuilt: 'current' | 'all' | 'repositories';
  /** How many repositories were rebuilt (`''` counts for pull requests without one); 0 for `current` and `all`. */
  readonly repositories: number;
  /** How many `pull_request_deployments` rows were written. */
  readonly rows: number;
}

/**
 * Makes the derived delivery rows (`pull_request_deployments`, `deployment_rework`, `incident_deployments`) current for
 * a workspace and settings. The first call for a settings key builds them for the whole workspace. After that, triggers
 * on `deployments`, `deployment_pull_requests`, pull requests and incidents add the repositories a write touches to
 * `deployment_mapping_stale` (whatever the writer: import, sync, webhooks, removals), and this rebuilds only those
 * repositories' rows (and the rework flags of the deployments of those repositories or listing their PRs), in one
 * write transaction; current rows cost one read.
 */
export async function ensureDeploymentMapping(
  store: Store,
  workspace: string,
  settings: DeliverySettings,
): Promise<DeploymentMappingRefresh> {
  const key = deliverySettingsKey(settings);
  const built = deliverySettingsJson(settings);
  const check = `SELECT EXISTS (SELECT 1 FROM deployment_mapping_keys WHERE workspace = ?1 AND settings = ?2) AS built,
      EXISTS (SELECT 1 FROM deployment_mapping_stale WHERE workspace = ?1 AND settings = ?2) AS stale`;
  const current = async (run: Pick<Store, 'execute'>) => {
    const row = mappingStateRows.first((await run.execute(check, [workspace, built])).rows);
    return row?.built === true && !row.stale;
  };
  if (await current(store)) return { rebuilt: 'current', repositories: 0, rows: 0 };
  return store.write(async (tx): Promise<DeploymentMappingRefresh> => {
    const run = async (statement: Sql) => tx.execute({ sql: statement.text, args: statement.args as InValue[] });
    const state = mappingStateRows.first((await tx.execute({ sql: check, args: [workspace, built] })).rows);
    if (state?.built !== true)
      return {
        rebuilt: 'all',
        repositories: 0,
        rows: await buildDeploymentMapping(tx, store.kind, workspace, settings, FIRST_BUILD_CACHE_KIB),
      };
    if (!state.stale) return { rebuilt: 'current', repositories: 0, rows: 0 };
    const stale = staleRows
      .all(
        (
          await run(
            sql`DELETE FROM deployment_mapping_stale WHERE workspace = ${workspace} AND settings = ${built} RETURNING repository_id, since`,
          )
        ).rows,
      )
      .map((row) => ({ repository: row.repository_id, since: row.since ?? WHOLE }));
    const named = JSON.stringify(stale.flatMap(({ repository }) => (repository === '' ? [] : [repository])));
    // [repository, since] of the named repositories, and the bound of the PRs without one ('').
    const spans = JSON.stringify(stale.flatMap(({ repository, since }) => (repository === '' ? [] : [[repository, since]])));
    const unnamed = stale.find(({ repository }) => repository === '')?.since;
    // The pull requests whose rows are rebuilt: those of each repository merged since its bound, by the repository's
    // merged index (the covering merged-PR index, which the planner may prefer, would walk every work item); those
    // without a repository (not in that index) from the pull requests merged since their bound.
    const pullRequests = [
      sql`json_each(${spans}) j CROSS JOIN work_items w INDEXED BY work_items_repository_merged_idx
        ON w.workspace = ${workspace} AND w.repository_id = j.value ->> '$[0]' AND w.merged_at >= j.value ->> '$[1]' WHERE 1`,
      ...(unnamed === undefined
        ? []
        : [
            sql`work_items w INDEXED BY work_items_kind_merged_idx
              WHERE w.workspace = ${workspace} AND w.kind = 'pull_request' AND w.merged_at >= ${unnamed} AND w.repository_id IS NULL`,
          ]),
    ];
    // The deployments whose rework flag may change: those of the stale repositories finishing since their bound (the
    // deployments of the rebuilt PRs, before and after) and those listing a rebuilt PR.
    const affected = idRows
      .all(
        (
          await run(sql`SELECT d.id FROM json_each(${spans}) j CROSS JOIN deployments d INDEXED BY deployments_repository_finished_idx
          ON d.workspace = ${workspace} AND d.repository_id = j.value ->> '$[0]' AND d.finished_at >= j.value ->> '$[1]'`)
        ).rows,
      )
      .map((row) => row.id);
    for (const source of pullRequests) {
      const { rows } = await run(sql`SELECT DISTINCT l.deployment_id AS id FROM deployment_pull_requests l
          WHERE l.workspace = ${workspace} AND l.work_item_id IN (SELECT w.id FROM ${source} AND +w.kind = 'pull_request')`);
      affected.push(...idRows.all(rows).map((row) => row.id));
    }
    const deployments = JSON.stringify([...new Set(affected)]);
    const allSpans = JSON.stringify(stale.map(({ repository, since }) => [repository, since]));
    await run(sql`DELETE FROM pull_request_deployments WHERE rowid IN (SELECT pd.rowid FROM json_each(${allSpans}) j
        CROSS JOIN pull_request_deployments pd INDEXED BY pull_request_deployments_repository_idx
        ON pd.workspace = ${workspace} AND pd.settings = ${key} AND pd.repository_id = j.value ->> '$[0]' WHERE pd.merged_at >= j.value ->> '$[1]')`);
    let rows = 0;
    for (const source of pullRequests) rows += (await run(insertMapping(key, settings, source))).rowsAffected;
    // The stale repositories' flags since their bounds (a removed deployment's too), and the affected deployments'.
    await run(sql`DELETE FROM deployment_rework WHERE rowid IN (SELECT dr.rowid FROM json_each(${spans}) j
        CROSS JOIN deployment_rework dr INDEXED BY deployment_rework_repository_idx
        ON dr.workspace = ${workspace} AND dr.settings = ${key} AND dr.repository_id = j.value ->> '$[0]' WHERE dr.finished_at >= j.value ->> '$[1]')`);
    await run(sql`DELETE FROM deployment_rework WHERE workspace = ${workspace} AND settings = ${key}
        AND deployment_id IN (SELECT value FROM json_each(${deployments}))`);
    await run(
      insertRework(
        key,
        settings,
        sql`json_each(${deployments}) j CROSS JOIN deployments d ON d.workspace = ${workspace} AND d.id = j.value WHERE 1`,
      ),
    );
    // The attributions to the stale repositories' deployments, whole (a few incidents per repository): their incidents
    // without a deployment of their own, and the incidents naming one of their deployments (an incident's write marks
    // both repositories).
    const inNamed = sql`IN (SELECT value FROM json_each(${named}))`;
    await run(sql`DELETE FROM incident_deployments WHERE workspace = ${workspace} AND settings = ${key} AND repository_id ${inNamed}`);
    await run(insertAttributions(workspace, key, settings, sql`i.deployment_id IS NULL AND i.repository_id ${inNamed}`));
    await run(
      insertAttributions(
        workspace,
        key,
        settings,
        sql`i.deployment_id IN (SELECT sd.id FROM deployments sd WHERE sd.workspace = ${workspace} AND sd.repository_id ${inNamed})`,
      ),
    );
    // The incidents of a team without a repository or deployment of their own, for the teams of the stale
    // repositories: any of the team's repositories may hold their deployment, so they are attributed again whole.
    const teamIncidents = sql`i.deployment_id IS NULL AND i.repository_id IS NULL
      AND i.team_id IN (SELECT tr.team_id FROM repositories tr WHERE tr.workspace = ${workspace} AND tr.id ${inNamed})`;
    await run(sql`DELETE FROM incident_deployments WHERE workspace = ${workspace} AND settings = ${key}
        AND incident_id IN (SELECT i.id FROM incidents i WHERE i.workspace = ${workspace} AND ${teamIncidents})`);
    await run(insertAttributions(workspace, key, settings, teamIncidents));
    return { rebuilt: 'repositories', repositories: stale.length, rows };
  });
}
