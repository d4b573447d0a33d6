// `pull_request_deployments` (migration 0026) maps each merged PR to its deploying production deployment for one set
// of production environment patterns. Triggers mark the repositories a write touches stale on every write to its
// inputs (import, streamed import, sync batches, webhooks, removals, deployment and PR updates), and the next metric
// read rebuilds those repositories only: the stored mapping always equals its definition (a full build under an
// equivalent pattern set), lead_time_for_changes, pr_cycle_time and rework_rate stay exact, and the rows of the
// repositories a write did not touch are never rewritten.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTeamState, type MetricSettings, type TeamState, type WebhookOutcome } from '@teamstate/core';
import { deliverySettingsKey } from '@teamstate/core/store';
import { testConnector } from '@teamstate/core/testing';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { builtinMetrics } from '../src/index.js';
import { at, deployment, incident, MARCH, pullRequest } from './fixtures.js';
import { recordWrites } from './helpers/record-writes.js';
import { deliverEvent, webhookOutcomes } from './helpers/webhook-outcomes.js';

type InArgs = Parameters<TeamState['store']['execute']>[1];
const REWORK = ['hotfix', 'revert', 'incident'];
const key = (productionEnvironments: string[], reworkLabels = REWORK) => deliverySettingsKey({ productionEnvironments, reworkLabels });
const DEFAULT_KEY = key(['production', 'prod']);
// How deployment_mapping_keys and deployment_mapping_stale name settings: their JSON (their triggers read its patterns).
const built = (productionEnvironments: string[], reworkLabels = REWORK) => JSON.stringify([productionEnvironments, reworkLabels]);
const DEFAULT_BUILT = built(['production', 'prod']);
// The same definition under another key (the patterns in another order): a full build, the oracle.
const ORACLE_KEY = key(['prod', 'production']);

const dir = mkdtempSync(join(tmpdir(), 'teamstate-mapping-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const org = {
  teams: [{ id: 'payments', name: 'Payments' }],
  people: [{ id: 'ana', name: 'Ana', teams: ['payments'] }],
  repositories: [{ id: 'acme/api', team: 'payments' }],
};
// pr-1 merged day 2, pr-2 (a hotfix) day 4; d3 (day 3) and d5 (day 5) deploy them by the heuristic.
const pr1 = pullRequest(1, { createdAt: at(1), mergedAt: at(2) });
const pr2 = pullRequest(2, { createdAt: at(1), mergedAt: at(4), labels: ['hotfix'] });

/**
 * The stored mapping (docs/metrics.md, "Deployment → pull request mapping"): the first production deployment listing the PR, else the
 * first production deployment of its repository without a list finishing at or after its merge.
 */
async function mapping(ts: TeamState, settings = DEFAULT_KEY) {
  const { rows } = await ts.store.execute(
    `SELECT work_item_id AS pr, deployment_id AS deployment, listed FROM pull_request_deployments WHERE settings = ? ORDER BY work_item_id`,
    [settings],
  );
  return rows.map((row) => `${String(row.pr)}→${String(row.deployment)}${row.listed === 1 ? ' (list)' : ''}`);
}
/** The production deployments flagged as deploying a rework pull request (`deployment_rework`). */
async function reworkFlags(ts: TeamState, settings = DEFAULT_KEY) {
  const { rows } = await ts.store.execute('SELECT deployment_id AS d FROM deployment_rework WHERE settings = ? ORDER BY 1', [settings]);
  return rows.map((row) => String(row.d));
}
/** The repositories whose mapping for the default settings waits for a rebuild. */
async function stale(ts: TeamState) {
  const { rows } = await ts.store.execute(`SELECT repository_id AS r FROM deployment_mapping_stale WHERE settings = ? ORDER BY 1`, [
    DEFAULT_BUILT,
  ]);
  return rows.map((row) => String(row.r));
}
async function metrics(ts: TeamState) {
  const r = await ts.metrics.compute(['lead_time_for_changes', 'pr_cycle_time', 'rework_rate'], MARCH);
  const deploy = (r.pr_cycle_time!.breakdown as Record<string, { p50: number | null; count: number }>).deploy!;
  return { lead: r.lead_time_for_changes!.count, leadP50: r.lead_time_for_changes!.value, deploy, rework: r.rework_rate!.value };
}

/** Expects the stored mapping and rework flags of `ts` to equal a full build of the same definition by `oracle`. */
async function expectExact(ts: TeamState, oracle: TeamState) {
  await oracle.store.execute('DELETE FROM deployment_mapping_keys WHERE settings = ?', [built(['prod', 'production'])]);
  await metrics(oracle);
  const rows = async (settings: string) =>
    (
      await ts.store.execute(
        `SELECT work_item_id, repository_id, deployment_id, finished_at, merged_at, started_at, listed
          FROM pull_request_deployments WHERE settings = ? ORDER BY work_item_id`,
        [settings],
      )
    ).rows.map((row) => JSON.stringify(row));
  expect(await rows(DEFAULT_KEY)).toEqual(await rows(ORACLE_KEY));
  expect(await reworkFlags(ts)).toEqual(await reworkFlags(ts, ORACLE_KEY));
}

/**
 * Rows rewritten by a rebuild, counted (not timed): `mark` moves every row's `started_at` by MARK (no rebuild writes
 * such a value, and neither the triggers nor a rebuild read it), a rebuild writes fresh rows without it; `rewritten`
 * counts the unmarked rows per repository and clears the marks. Read the mapping only after `rewritten`.
 */
const MARK = 1_000_000_000_000_000;
function rewrites(ts: TeamState) {
  return {
    mark: () => ts.store.write((tx) => tx.execute(`UPDATE pull_request_deployments SET started_at = started_at + ${MARK}`)),
    rewritten: async () => {
      const { rows } = await ts.store.execute(
        `SELECT repository_id AS r, sum(started_at < ${MARK}) AS n FROM pull_request_deployments WHERE settings = ? GROUP BY 1 ORDER BY 1`,
        [DEFAULT_KEY],
      );
      await ts.store.write((tx) =>
        tx.execute(`UPDATE pull_request_deployments SET started_at = started_at - ${MARK} WHERE started_at >= ${MARK}`),
      );
      return Object.fromEntries(rows.map((row) => [String(row.r), Number(row.n)]));
    },
  };
}

describe('pull_request_deployments, derived and rebuilt after every write', () => {
  it('follows import, sync, webhooks, deployment and PR updates and removals', async () => {
    const outcomes: Record<string, WebhookOutcome> = {
      // A release listing pr-2 finishes on day 4 (after the merge): pr-2 moves to it, d5 deploys nothing.
      release: { records: { deployments: [deployment('release', at(4, 12), { pullRequests: ['pr-acme/api-2'] })] } },
      // d3 failed after all: pr-1 moves to d5.
      'd3-failed': { records: { deployments: [deployment('d3', at(3), { status: 'failure' })] } },
      'drop-pr-1': { records: {}, remove: { workItems: ['pr-acme/api-1'] } },
    };
    const hook = webhookOutcomes(outcomes);
    // A sync batch merges pr-2 later (day 6): no deployment after it, it is undeployed.
    const sync = testConnector({ id: 'gh-sync', batches: [{ workItems: [{ ...pr2, mergedAt: at(6) }] }] });
    const ts = await createTeamState({ database: ':memory:', metrics: builtinMetrics, connectors: [hook, sync] });
    const deliver = async (event: string) => expect((await deliverEvent(ts, event)).status).toBe(202);

    await ts.import({
      format: 'teamstate.bundle/v1',
      ...org,
      workItems: [pr1, pr2],
      deployments: [deployment('d3', at(3)), deployment('d5', at(5))],
    });
    expect(await metrics(ts)).toEqual({ lead: 2, leadP50: 72, deploy: { p50: 24, count: 2 }, rework: 1 / 2 });
    expect(await mapping(ts)).toEqual(['pr-acme/api-1→d3', 'pr-acme/api-2→d5']);

    await deliver('release');
    expect(await metrics(ts)).toEqual({ lead: 2, leadP50: 66, deploy: { p50: 18, count: 2 }, rework: 1 / 3 });
    expect(await mapping(ts)).toEqual(['pr-acme/api-1→d3', 'pr-acme/api-2→release (list)']);

    await deliver('d3-failed');
    expect(await metrics(ts)).toEqual({ lead: 2, leadP50: 90, deploy: { p50: 42, count: 2 }, rework: 1 / 2 });
    expect(await mapping(ts)).toEqual(['pr-acme/api-1→d5', 'pr-acme/api-2→release (list)']);

    // A re-import without the release's list: it deploys both by the heuristic (the first after either merge).
    await ts.import({ format: 'teamstate.bundle/v1', deployments: [deployment('release', at(4, 12))] });
    expect(await stale(ts)).toEqual(['acme/api']);
    expect(await metrics(ts)).toEqual({ lead: 2, leadP50: 84, deploy: { p50: 36, count: 2 }, rework: 1 / 2 });
    expect(await stale(ts)).toEqual([]);
    expect(await mapping(ts)).toEqual(['pr-acme/api-1→release', 'pr-acme/api-2→release']);

    await ts.sync({ only: ['gh-sync'] });
    expect(await metrics(ts)).toEqual({ lead: 1, leadP50: 84, deploy: { p50: 60, count: 1 }, rework: 0 });
    expect(await mapping(ts)).toEqual(['pr-acme/api-1→release']);

    await deliver('drop-pr-1');
    expect(await metrics(ts)).toEqual({ lead: 0, leadP50: null, deploy: { p50: null, count: 0 }, rework: 0 });
    expect(await mapping(ts)).toEqual([]);
    await ts.close();
  });

  it('keeps one mapping per set of production environments, each rebuilt on its own', async () => {
    const database = join(dir, 'two-settings.db');
    const open = (metricSettings?: MetricSettings) => createTeamState({ database, metrics: builtinMetrics, metricSettings });
    const prod = await open();
    await prod.import({
      format: 'teamstate.bundle/v1',
      ...org,
      workItems: [pr1],
      deployments: [deployment('stage', at(2, 12), { environment: 'staging' }), deployment('d3', at(3))],
    });
    const staging = await open({ productionEnvironments: ['staging', 'production'] });
    expect((await metrics(staging)).leadP50).toBe(36);
    expect((await metrics(prod)).leadP50).toBe(48);
    expect(await mapping(prod)).toEqual(['pr-acme/api-1→d3']);
    expect(await mapping(prod, key(['staging', 'production']))).toEqual(['pr-acme/api-1→stage']);
    // A write through one instance is seen by the other's next read.
    await prod.import({
      format: 'teamstate.bundle/v1',
      deployments: [deployment('stage', at(2, 12), { environment: 'staging', status: 'failure' })],
    });
    expect((await metrics(staging)).leadP50).toBe(48);
    await staging.close();
    await prod.close();
  });

  it('rebuilds only the repositories a write touched, and every writer keeps the mapping exact', async () => {
    const database = join(dir, 'per-repository.db');
    const web = (n: number, fields: Parameters<typeof pullRequest>[1]) => pullRequest(n, { repository: 'acme/web', ...fields });
    const sync = testConnector({ id: 'gh-sync', batches: [{ workItems: [pullRequest(9, { createdAt: at(1), mergedAt: at(4, 8) })] }] });
    const ts = await createTeamState({ database, metrics: builtinMetrics, connectors: [sync] });
    await ts.import({
      format: 'teamstate.bundle/v1',
      teams: [...org.teams, { id: 'growth', name: 'Growth' }],
      people: org.people,
      repositories: [...org.repositories, { id: 'acme/web', team: 'growth' }],
      workItems: [pr1, pr2, web(1, { createdAt: at(1), mergedAt: at(2) }), web(2, { createdAt: at(1), mergedAt: at(3) })],
      deployments: [
        deployment('d3', at(3)),
        deployment('d5', at(5)),
        deployment('w4', at(4), { repository: 'acme/web' }),
        deployment('w6', at(6), { repository: 'acme/web', pullRequests: ['pr-acme/web-2'] }),
      ],
    });
    await metrics(ts);
    // The oracle: a full build of the same definition under an equivalent pattern set (another key).
    const oracle = await createTeamState({
      database,
      metrics: builtinMetrics,
      metricSettings: { productionEnvironments: ['prod', 'production'] },
    });
    const exact = () => expectExact(ts, oracle);
    const { mark, rewritten } = rewrites(ts);
    await exact();
    expect(await mapping(ts)).toEqual(['pr-acme/api-1→d3', 'pr-acme/api-2→d5', 'pr-acme/web-1→w4', 'pr-acme/web-2→w6 (list)']);

    // A one-PR import into acme/api: only acme/api is stale, and only from the PR's merge on: its own row is written.
    await mark();
    await ts.import({ format: 'teamstate.bundle/v1', workItems: [pullRequest(3, { createdAt: at(1), mergedAt: at(4, 6) })] });
    expect(await stale(ts)).toEqual(['acme/api']);
    await metrics(ts);
    expect(await stale(ts)).toEqual([]);
    expect(await rewritten()).toEqual({ 'acme/api': 1, 'acme/web': 0 });
    await exact();

    // A streamed import of one deployment of acme/web: acme/api's rows stay as they were.
    const file = join(dir, 'one-deployment.json');
    writeFileSync(
      file,
      JSON.stringify({ format: 'teamstate.bundle/v1', deployments: [deployment('w2', at(2, 12), { repository: 'acme/web' })] }),
    );
    await mark();
    await ts.importFile(file);
    expect(await stale(ts)).toEqual(['acme/web']);
    await metrics(ts);
    expect(await rewritten()).toEqual({ 'acme/api': 0, 'acme/web': 2 });
    await exact();
    expect(await mapping(ts)).toContain('pr-acme/web-1→w2');

    // A connector's sync through the store, one acme/api PR.
    await mark();
    await ts.sync({ only: ['gh-sync'] });
    expect(await stale(ts)).toEqual(['acme/api']);
    await metrics(ts);
    expect(await rewritten()).toEqual({ 'acme/api': 1, 'acme/web': 0 });
    await exact();
    expect(await mapping(ts)).toContain('pr-acme/api-9→d5');

    // A re-import that only gives pr-3 a first commit: its lead time starts there.
    await ts.import({
      format: 'teamstate.bundle/v1',
      workItems: [pullRequest(3, { createdAt: at(1), mergedAt: at(4, 6), firstCommitAt: at(0, 12) })],
    });
    expect(await stale(ts)).toEqual(['acme/api']);
    await metrics(ts);
    await exact();

    // A list on an acme/api deployment naming an acme/web PR marks the PR's repository; a removal marks its own.
    await ts.import({ format: 'teamstate.bundle/v1', deployments: [deployment('d5', at(5), { pullRequests: ['pr-acme/web-1'] })] });
    expect(await stale(ts)).toEqual(['acme/api', 'acme/web']);
    await metrics(ts);
    await exact();
    expect(await mapping(ts)).toContain('pr-acme/web-1→d5 (list)');
    expect(await reworkFlags(ts)).not.toContain('d5');
    // Relabelling that acme/web PR as a hotfix flags the acme/api deployment listing it as rework (the rebuild from the
    // PR's merge recomputes the flags of the deployments listing a rebuilt PR).
    await ts.import({ format: 'teamstate.bundle/v1', workItems: [web(1, { createdAt: at(1), mergedAt: at(2), labels: ['Hotfix'] })] });
    expect(await stale(ts)).toEqual(['acme/web']);
    await metrics(ts);
    await exact();
    expect(await reworkFlags(ts)).toContain('d5');
    await ts.store.write(async (tx) => {
      await tx.execute(`DELETE FROM deployment_pull_requests WHERE deployment_id = 'd5'`);
      await tx.execute(`UPDATE deployments SET status = 'failure' WHERE id = 'w2'`);
    });
    // The list's deployment's repository (its PRs by the heuristic, its rework flag) and the listed PR's.
    expect(await stale(ts)).toEqual(['acme/api', 'acme/web']);
    await metrics(ts);
    await exact();
    expect(await mapping(ts)).toContain('pr-acme/web-1→w4');
    await oracle.close();
    await ts.close();
  });

  it('rebuilds a repository from the earliest merge a write can change, and stays exact', async () => {
    const database = join(dir, 'since.db');
    // acme/api: a PR merged at noon on each of days 1-8, a production deployment at 18:00 on days 2, 4, 6 and 8.
    const merged = (n: number) => pullRequest(n, { createdAt: at(n - 1), mergedAt: at(n, 12) });
    const ts = await createTeamState({ database, metrics: builtinMetrics });
    await ts.import({
      format: 'teamstate.bundle/v1',
      ...org,
      workItems: [1, 2, 3, 4, 5, 6, 7, 8].map(merged),
      deployments: [2, 4, 6, 8].map((day) => deployment(`d${day}`, at(day, 18))),
    });
    await metrics(ts);
    const oracle = await createTeamState({
      database,
      metrics: builtinMetrics,
      metricSettings: { productionEnvironments: ['prod', 'production'] },
    });
    const { mark, rewritten } = rewrites(ts);
    const after = async (write: () => Promise<unknown>) => {
      await mark();
      await write();
      await metrics(ts);
      const count = (await rewritten())['acme/api'];
      await expectExact(ts, oracle);
      return count;
    };
    await expectExact(ts, oracle);

    // A day's sync: a PR merged on day 9 (from its merge on: no row yet, no deployment after it), then the deployment
    // after it (from d8 on: the PR's row).
    expect(await after(() => ts.import({ format: 'teamstate.bundle/v1', workItems: [merged(9)] }))).toBe(0);
    expect(await after(() => ts.import({ format: 'teamstate.bundle/v1', deployments: [deployment('d10', at(10, 18))] }))).toBe(1);
    expect(await mapping(ts)).toContain('pr-acme/api-9→d10');
    // An open pull request changes no mapping: nothing is marked.
    await ts.import({ format: 'teamstate.bundle/v1', workItems: [pullRequest(20, { createdAt: at(9) })] });
    expect(await stale(ts)).toEqual([]);
    // Unless a deployment lists it: relabelled as a hotfix, it flags that deployment (its repository, from its finish).
    await ts.import({ format: 'teamstate.bundle/v1', deployments: [deployment('l12', at(12, 18), { pullRequests: ['pr-acme/api-20'] })] });
    await metrics(ts);
    expect(
      await after(() =>
        ts.import({ format: 'teamstate.bundle/v1', workItems: [pullRequest(20, { createdAt: at(9), labels: ['hotfix'] })] }),
      ),
    ).toBe(0);
    expect(await reworkFlags(ts)).toContain('l12');
    // A deployment between d4 and d6: the PRs merged after d4 (days 5-9).
    expect(await after(() => ts.import({ format: 'teamstate.bundle/v1', deployments: [deployment('d5', at(5, 18))] }))).toBe(5);
    expect(await mapping(ts)).toContain('pr-acme/api-5→d5');
    // d6 failed after all: from d5 on (days 6-9); its PR moves to d8.
    expect(await after(() => ts.store.write((tx) => tx.execute("UPDATE deployments SET status = 'failure' WHERE id = 'd6'")))).toBe(4);
    expect(await mapping(ts)).toContain('pr-acme/api-6→d8');
    // d4 moves to day 3 (before PR 4's merge): from d2 on, for both its old and new time.
    expect(
      await after(() =>
        ts.store.write((tx) => tx.execute(`UPDATE deployments SET finished_at = ${Date.parse(at(3, 18))} WHERE id = 'd4'`)),
      ),
    ).toBe(7);
    // The first deployment removed: no earlier one bounds it, the whole repository.
    expect(await after(() => ts.store.write((tx) => tx.execute("DELETE FROM deployments WHERE id = 'd2'")))).toBe(9);
    // A PR's merge moved earlier: from its new merge on.
    expect(
      await after(() =>
        ts.import({ format: 'teamstate.bundle/v1', workItems: [pullRequest(7, { createdAt: at(5), mergedAt: at(5, 20) })] }),
      ),
    ).toBe(4);
    // A list naming PR 3 on a new deployment: from PR 3's merge on, and the listing deployment's own rework flag.
    expect(
      await after(() =>
        ts.import({ format: 'teamstate.bundle/v1', deployments: [deployment('l11', at(11, 18), { pullRequests: ['pr-acme/api-3'] })] }),
      ),
    ).toBe(7);
    expect(await mapping(ts)).toContain('pr-acme/api-3→l11 (list)');
    // That listed deployment fails: the PR it names, from its merge on (back to the heuristic's d4).
    expect(await after(() => ts.store.write((tx) => tx.execute("UPDATE deployments SET status = 'failure' WHERE id = 'l11'")))).toBe(7);
    expect(await mapping(ts)).toContain('pr-acme/api-3→d4');
    // Relabelling PR 9 as a hotfix: its own row, and d10's rework flag.
    expect(
      await after(() =>
        ts.import({
          format: 'teamstate.bundle/v1',
          workItems: [pullRequest(9, { createdAt: at(8), mergedAt: at(9, 12), labels: ['hotfix'] })],
        }),
      ),
    ).toBe(1);
    expect(await reworkFlags(ts)).toContain('d10');
    // An incident rebuilds the repository's attributions, not its mapping.
    expect(
      await after(() => ts.import({ format: 'teamstate.bundle/v1', incidents: [incident('inc-1', at(9), { repository: 'acme/api' })] })),
    ).toBe(0);
    // Two writes before one read: the earlier bound holds for both.
    expect(
      await after(async () => {
        await ts.import({ format: 'teamstate.bundle/v1', deployments: [deployment('d7', at(7, 18))] });
        await ts.import({ format: 'teamstate.bundle/v1', workItems: [merged(10)] });
      }),
    ).toBe(5);
    await oracle.close();
    await ts.close();
  });

  it('builds the first mapping into an empty table before its indexes, with a larger cache, then both as they were', async () => {
    const ts = await createTeamState({ database: join(dir, 'first-build.db'), metrics: builtinMetrics });
    await ts.import({
      format: 'teamstate.bundle/v1',
      ...org,
      workItems: [pr1, pr2],
      deployments: [deployment('d3', at(3)), deployment('d5', at(5), { pullRequests: ['pr-acme/api-2'] })],
    });
    const indexes = async () =>
      (
        await ts.store.execute(
          "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'pull_request_deployments' AND sql IS NOT NULL ORDER BY name",
        )
      ).rows.map((row) => `${String(row.name)}: ${String(row.sql)}`);
    const declared = await indexes();
    expect(declared).toHaveLength(5);
    const statements = await recordWrites(ts, () => metrics(ts));
    // In order: the cache grown, the five indexes dropped, the rows written, the indexes created again, the cache back.
    const insert = statements.findIndex((text) => text.startsWith('WITH m AS MATERIALIZED'));
    const drops = statements.flatMap((text, i) => (text.startsWith('DROP INDEX "pull_request_deployments_') ? [i] : []));
    const creates = statements.flatMap((text, i) => (text.startsWith('CREATE INDEX `pull_request_deployments_') ? [i] : []));
    expect(drops).toHaveLength(5);
    expect(creates).toHaveLength(5);
    expect(Math.max(...drops)).toBeLessThan(insert);
    expect(Math.min(...creates)).toBeGreaterThan(insert);
    expect(statements.indexOf('PRAGMA cache_size = -131072')).toBeLessThan(Math.min(...drops));
    expect(statements.findLastIndex((text) => /^PRAGMA cache_size = -?\d+$/.test(text))).toBeGreaterThan(Math.max(...creates));
    expect(await indexes()).toEqual(declared);
    expect((await ts.store.execute('PRAGMA integrity_check')).rows.map((row) => row.integrity_check)).toEqual(['ok']);
    expect(await mapping(ts)).toEqual(['pr-acme/api-1→d3', 'pr-acme/api-2→d5 (list)']);
    // Every index finds every row.
    for (const name of declared.map((line) => line.split(':')[0]!)) {
      const { rows } = await ts.store.execute(
        `SELECT count(*) AS n FROM pull_request_deployments INDEXED BY ${name} WHERE workspace = 'default' AND settings = ?`,
        [DEFAULT_KEY],
      );
      expect(rows[0]!.n, name).toBe(2);
    }
    // No connection keeps the build's cache.
    expect((await ts.store.execute('PRAGMA cache_size')).rows[0]!.cache_size).not.toBe(-131072);
    // A second set of settings finds the table filled: its rows go in through the indexes.
    const staging = await createTeamState({
      database: join(dir, 'first-build.db'),
      metrics: builtinMetrics,
      metricSettings: { productionEnvironments: ['staging', 'production'] },
    });
    const second = await recordWrites(staging, () => metrics(staging));
    expect(second.filter((text) => text.startsWith('DROP INDEX'))).toEqual([]);
    expect(await mapping(staging, key(['staging', 'production']))).toEqual(['pr-acme/api-1→d3', 'pr-acme/api-2→d5 (list)']);
    await staging.close();
    await ts.close();
  });

  it('builds the first mapping of a :memory: store through its indexes, with a read still unfinished on its one connection', async () => {
    const ts = await createTeamState({ database: ':memory:', metrics: builtinMetrics });
    await ts.import({ format: 'teamstate.bundle/v1', ...org, workItems: [pr1, pr2], deployments: [deployment('d3', at(3))] });
    // SQLite refuses DROP INDEX (SQLITE_LOCKED) while the connection has a statement the driver has not freed yet.
    await ts.store.execute('SELECT count(*) AS n FROM work_items');
    const statements = await recordWrites(ts, () => metrics(ts));
    expect(statements.filter((text) => text.startsWith('DROP INDEX'))).toEqual([]);
    expect(await mapping(ts)).toEqual(['pr-acme/api-1→d3']);
    await ts.close();
  });

  it('is built by a bulk import of work items into a local file, before it commits: the first read has nothing to build', async () => {
    // More pull requests than one chunk of an import (1,000): the bulk path, which builds the read-side indexes after
    // the rows. Some listed by a deployment, some hotfixes, some deployed by the heuristic.
    const prs = Array.from({ length: 1_200 }, (_, i) =>
      pullRequest(i + 1, { createdAt: at(1), mergedAt: at(2 + (i % 20), i % 24), ...(i % 7 === 0 ? { labels: ['hotfix'] } : {}) }),
    );
    const deployments = Array.from({ length: 24 }, (_, i) =>
      deployment(`d${i}`, at(3 + i), i % 5 === 0 ? { pullRequests: [prs[i * 40]!.id, prs[i * 40 + 1]!.id] } : {}),
    );
    const bundle = { format: 'teamstate.bundle/v1' as const, ...org, workItems: prs, deployments };
    const file = join(dir, 'bulk.json');
    writeFileSync(file, JSON.stringify(bundle));
    for (const how of ['import', 'importFile'] as const) {
      const database = join(dir, `bulk-${how}.db`);
      const ts = await createTeamState({ database, metrics: builtinMetrics });
      await (how === 'import' ? ts.import(bundle) : ts.importFile(file));
      const keys = async () =>
        (await ts.store.execute('SELECT settings FROM deployment_mapping_keys ORDER BY 1')).rows.map((r) => r.settings);
      expect(await keys(), how).toEqual([DEFAULT_BUILT]);
      expect(await stale(ts), how).toEqual([]);
      let read: Awaited<ReturnType<typeof metrics>> | undefined;
      expect(
        await recordWrites(ts, async () => {
          read = await metrics(ts);
        }),
        how,
      ).toEqual([]);
      expect(read!.lead, how).toBeGreaterThan(0);
      const oracle = await createTeamState({
        database,
        metrics: builtinMetrics,
        metricSettings: { productionEnvironments: ['prod', 'production'] },
      });
      await expectExact(ts, oracle);
      await oracle.close();
      await ts.close();
    }
    // A small import leaves the first build to the first read, as before.
    const small = await createTeamState({ database: join(dir, 'small.db'), metrics: builtinMetrics });
    await small.import({ ...bundle, workItems: prs.slice(0, 10), deployments: deployments.slice(0, 1) });
    expect((await small.store.execute('SELECT count(*) AS n FROM deployment_mapping_keys')).rows[0]!.n).toBe(0);
    await small.close();
  });

  it('rolls a bulk import back whole when its mapping build fails: no row, no mapping, every index as declared', async () => {
    const prs = Array.from({ length: 1_100 }, (_, i) => pullRequest(i + 1, { createdAt: at(1), mergedAt: at(2 + (i % 20)) }));
    const bundle = { format: 'teamstate.bundle/v1' as const, ...org, workItems: prs, deployments: [deployment('d3', at(25))] };
    const ts = await createTeamState({ database: join(dir, 'bulk-failed.db'), metrics: builtinMetrics });
    const indexes = async () =>
      (await ts.store.execute("SELECT name, sql FROM sqlite_master WHERE type = 'index' ORDER BY name")).rows.map((row) =>
        JSON.stringify(row),
      );
    const before = await indexes();
    await ts.store.execute(
      "CREATE TRIGGER fail_mapping BEFORE INSERT ON pull_request_deployments BEGIN SELECT RAISE(ABORT, 'disk full (test)'); END",
    );
    await expect(ts.import(bundle)).rejects.toThrow(/disk full \(test\)/);
    const count = async (table: string) => Number((await ts.store.execute(`SELECT count(*) AS n FROM ${table}`)).rows[0]!.n);
    for (const table of ['work_items', 'deployments', 'repositories', 'pull_request_deployments', 'deployment_mapping_keys'])
      expect(await count(table), table).toBe(0);
    expect(await indexes()).toEqual(before);
    // Once the build can run, the same import goes through and the first read has nothing to build.
    await ts.store.execute('DROP TRIGGER fail_mapping');
    await ts.import(bundle);
    expect(await count('deployment_mapping_keys')).toBe(1);
    expect(await recordWrites(ts, () => metrics(ts))).toEqual([]);
    await ts.close();
  });

  it('leaves the indexes and builds nothing when the first build fails', async () => {
    const ts = await createTeamState({ database: join(dir, 'failed-build.db'), metrics: builtinMetrics });
    await ts.import({ format: 'teamstate.bundle/v1', ...org, workItems: [pr1], deployments: [deployment('d3', at(3))] });
    const names = async () =>
      (
        await ts.store.execute(
          "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'pull_request_deployments' ORDER BY name",
        )
      ).rows.map((row) => String(row.name));
    const before = await names();
    // The rows' insert fails halfway through the build, after the indexes were dropped.
    await ts.store.execute(
      "CREATE TRIGGER fail_mapping BEFORE INSERT ON pull_request_deployments BEGIN SELECT RAISE(ABORT, 'disk full (test)'); END",
    );
    await expect(metrics(ts)).rejects.toThrow(/disk full \(test\)/);
    expect(await names()).toEqual(before);
    expect((await ts.store.execute('SELECT count(*) AS n FROM deployment_mapping_keys')).rows[0]!.n).toBe(0);
    await ts.store.execute('DROP TRIGGER fail_mapping');
    expect(await mapping(ts)).toEqual([]);
    expect((await metrics(ts)).lead).toBe(1);
    expect(await mapping(ts)).toEqual(['pr-acme/api-1→d3']);
    await ts.close();
  });

  it('rebuilds the pull requests without a repository from the merged pull requests, and stays exact', async () => {
    const database = join(dir, 'unnamed.db');
    const unnamed = (n: number, mergedAt: string) => ({ ...pullRequest(n, { createdAt: at(1), mergedAt }), repository: undefined });
    const ts = await createTeamState({ database, metrics: builtinMetrics });
    await ts.import({
      format: 'teamstate.bundle/v1',
      ...org,
      workItems: [pr1, unnamed(7, at(2, 6))],
      deployments: [deployment('d3', at(3))],
    });
    await metrics(ts);
    // A new pull request without a repository marks those (repository '') stale: the next read rebuilds them alone.
    await ts.import({ format: 'teamstate.bundle/v1', workItems: [unnamed(8, at(2, 12))] });
    expect(await stale(ts)).toEqual(['']);
    await metrics(ts);
    expect(await stale(ts)).toEqual([]);
    const oracle = await createTeamState({
      database,
      metrics: builtinMetrics,
      metricSettings: { productionEnvironments: ['prod', 'production'] },
    });
    await expectExact(ts, oracle);
    await oracle.close();
    await ts.close();
  });

  it('rebuilds a repository through its indexes: no statement of the refresh scans a table', async () => {
    const ts = await createTeamState({ database: ':memory:', metrics: builtinMetrics });
    await ts.import({
      format: 'teamstate.bundle/v1',
      ...org,
      workItems: [pr1, pr2],
      deployments: [deployment('d3', at(3)), deployment('d5', at(5), { pullRequests: ['pr-acme/api-2'] })],
    });
    await metrics(ts);
    await ts.import({ format: 'teamstate.bundle/v1', workItems: [pullRequest(3, { createdAt: at(1), mergedAt: at(4, 6) })] });
    // The statements of the refresh's write transaction.
    // (`SCAN m`/`SCAN n` are the statement's own materialized rows.)
    const statements: { sql: string; args: InArgs }[] = [];
    const write = ts.store.write.bind(ts.store);
    const spy = vi.spyOn(ts.store, 'write').mockImplementation((fn) =>
      write((tx) =>
        fn(
          new Proxy(tx, {
            get(target, property) {
              if (property !== 'execute') return Reflect.get(target, property, target);
              return (statement: Parameters<typeof target.execute>[0]) => {
                statements.push(
                  typeof statement === 'string' ? { sql: statement, args: [] } : { sql: statement.sql, args: statement.args ?? [] },
                );
                return target.execute(statement);
              };
            },
          }),
        ),
      ),
    );
    await metrics(ts);
    spy.mockRestore();
    expect(statements.some(({ sql }) => sql.startsWith('WITH m AS MATERIALIZED'))).toBe(true);
    for (const { sql, args } of statements) {
      const plan = (await ts.store.execute(`EXPLAIN QUERY PLAN ${sql}`, args)).rows.map((row) => String(row.detail));
      expect(
        plan.filter((line) =>
          /^SCAN (w|d|l|pd|dr|rw|rdl|rm|hd|ld|ll|i|sd|aad|pull_request_deployments|deployment_rework|incident_deployments|deployments|work_items|incidents)\b/.test(
            line,
          ),
        ),
        sql,
      ).toEqual([]);
      if (sql.startsWith('WITH m AS MATERIALIZED'))
        expect(plan.join('\n'), sql).toContain(
          'SEARCH w USING COVERING INDEX work_items_repository_merged_idx (workspace=? AND repository_id=?',
        );
    }
    await ts.close();
  });
});
