// `incident_deployments` (migration 0033) stores each incident's attributed production deployment for one set of
// production environment patterns, rebuilt with the deployment mapping: triggers on incidents (and the mapping's own on
// deployments) mark the repositories a write touches stale, whatever the writer (bundle import, streamed import,
// connector sync, webhooks, SQL updates and deletes), and the next read rebuilds those repositories' attributions. The
// stored rows always equal a full build (the oracle, under an equivalent pattern set), a migrated database gets them
// backfilled, and failed_deployment_recovery_time read from them equals its definition (its `explain` rows).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTeamState, type TeamState, type WebhookOutcome } from '@teamstate/core';
import { deliverySettingsKey } from '@teamstate/core/store';
import { testConnector } from '@teamstate/core/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { builtinMetrics } from '../src/index.js';
import { at, deployment, incident, MARCH } from './fixtures.js';
import { deliverEvent, webhookOutcomes } from './helpers/webhook-outcomes.js';

const REWORK = ['hotfix', 'revert', 'incident'];
const key = (productionEnvironments: string[]) => deliverySettingsKey({ productionEnvironments, reworkLabels: REWORK });
const DEFAULT_KEY = key(['production', 'prod']);
// How deployment_mapping_keys and deployment_mapping_stale name settings: their JSON (their triggers read its patterns).
const built = (productionEnvironments: string[]) => JSON.stringify([productionEnvironments, REWORK]);
// The same definition under another key (the patterns in another order): a full build, the oracle.
const ORACLE_KEY = key(['prod', 'production']);

const dir = mkdtempSync(join(tmpdir(), 'teamstate-attribution-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const org = {
  format: 'teamstate.bundle/v1' as const,
  teams: [
    { id: 'payments', name: 'Payments' },
    { id: 'growth', name: 'Growth' },
  ],
  repositories: [
    { id: 'acme/api', team: 'payments' },
    { id: 'acme/web', team: 'growth' },
  ],
};

/** The stored attributions of a settings key, one line per incident. */
async function attributions(ts: TeamState, settings = DEFAULT_KEY) {
  const { rows } = await ts.store.execute(
    `SELECT incident_id, deployment_id, repository_id, finished_at, created_at, resolved_at FROM incident_deployments
      WHERE settings = ? ORDER BY incident_id`,
    [settings],
  );
  return rows.map((row) => `${String(row.incident_id)}→${String(row.deployment_id)} ${JSON.stringify(row)}`);
}
async function stale(ts: TeamState) {
  const { rows } = await ts.store.execute('SELECT repository_id AS r FROM deployment_mapping_stale WHERE settings = ? ORDER BY 1', [
    built(['production', 'prod']),
  ]);
  return rows.map((row) => String(row.r));
}

/** failed_deployment_recovery_time for the organisation, a team and a repository, each next to its explain rows (the definition). */
async function recovery(ts: TeamState) {
  const out: Record<string, { count: number; p50: unknown }> = {};
  for (const [label, scope] of [
    ['org', {}],
    ['payments', { team: 'payments' }],
    ['web', { repository: 'acme/web' }],
  ] as const) {
    const window = { ...MARCH, ...scope };
    const r = (await ts.metrics.compute(['failed_deployment_recovery_time'], window)).failed_deployment_recovery_time!;
    const explained = await ts.metrics.explain('failed_deployment_recovery_time', window);
    expect(r.count, label).toBe(explained.rows.length);
    const hours = explained.rows.map((row) => Number(row.recoveryHours)).sort((a, b) => a - b);
    const mid = (hours.length - 1) / 2;
    expect(r.value, label).toBe(hours.length === 0 ? null : (hours[Math.floor(mid)]! + hours[Math.ceil(mid)]!) / 2);
    out[label] = { count: r.count as number, p50: r.value };
  }
  return out;
}

describe('incident_deployments, derived and rebuilt after every write', () => {
  it('every writer keeps the stored attributions equal to a full build, and the metric equal to its definition', async () => {
    const database = join(dir, 'writers.db');
    const hook = webhookOutcomes({
      // A webhook names w5 as i3's deployment and fails d3.
      'i3-names-w5': {
        records: { incidents: [incident('i3', at(6), { resolvedAt: at(6, 4), repository: 'acme/api', deployment: 'w5' })] },
      },
      'd3-failed': { records: { deployments: [deployment('d3', at(3), { status: 'failure' })] } },
    } satisfies Record<string, WebhookOutcome>);
    const sync = testConnector({
      id: 'pd-sync',
      batches: [{ incidents: [incident('i5', at(7), { resolvedAt: at(7, 6), repository: 'acme/web' })] }],
    });
    const ts = await createTeamState({ database, metrics: builtinMetrics, connectors: [hook, sync] });
    const oracle = await createTeamState({
      database,
      metrics: builtinMetrics,
      metricSettings: { productionEnvironments: ['prod', 'production'] },
    });
    const exact = async () => {
      const current = await recovery(ts);
      await oracle.store.execute('DELETE FROM deployment_mapping_keys WHERE settings = ?', [built(['prod', 'production'])]);
      expect(await recovery(oracle)).toEqual(current);
      const strip = (rows: string[]) => rows.map((row) => row.replace(ORACLE_KEY, DEFAULT_KEY));
      expect(await attributions(ts)).toEqual(strip(await attributions(ts, ORACLE_KEY)));
      expect(await stale(ts)).toEqual([]);
      return current;
    };
    const deliver = async (event: string) => expect((await deliverEvent(ts, event)).status).toBe(202);

    await ts.import({
      ...org,
      deployments: [
        deployment('d3', at(3)),
        deployment('s4', at(4), { environment: 'staging' }),
        deployment('w5', at(5), { repository: 'acme/web' }),
      ],
      incidents: [
        // i1: acme/api, after d3 (s4 is staging): d3. i2: names w5 (acme/web) but belongs to acme/api. i4: no repository.
        incident('i1', at(4, 6), { resolvedAt: at(4, 9), repository: 'acme/api' }),
        incident('i2', at(5, 1), { resolvedAt: at(5, 3), repository: 'acme/api', deployment: 'w5' }),
        incident('i4', at(5, 2), { resolvedAt: at(5, 4) }),
      ],
    });
    expect(await exact()).toEqual({ org: { count: 2, p50: 18 }, payments: { count: 1, p50: 33 }, web: { count: 1, p50: 3 } });
    expect((await attributions(ts)).map((row) => row.split(' ')[0])).toEqual(['i1→d3', 'i2→w5']);

    // A bundle import of a new incident of acme/web: only acme/web is stale.
    await ts.import({
      format: 'teamstate.bundle/v1',
      incidents: [incident('i6', at(5, 6), { resolvedAt: at(5, 8), repository: 'acme/web' })],
    });
    expect(await stale(ts)).toEqual(['acme/web']);
    expect((await exact()).web).toEqual({ count: 2, p50: 5.5 });

    // A streamed import of a new production deployment of acme/api before i1: i1 moves to it.
    const file = join(dir, 'one-deployment.json');
    writeFileSync(file, JSON.stringify({ format: 'teamstate.bundle/v1', deployments: [deployment('d4', at(4, 5))] }));
    await ts.importFile(file);
    expect(await stale(ts)).toEqual(['acme/api']);
    expect((await exact()).payments).toEqual({ count: 1, p50: 4 });

    // A connector's sync of an incident; a webhook naming another repository's deployment; a webhook failing d3.
    await ts.sync({ only: ['pd-sync'] });
    await exact();
    await deliver('i3-names-w5');
    expect(await stale(ts)).toEqual(['acme/api', 'acme/web']);
    await exact();
    await deliver('d3-failed');
    await exact();

    // SQL writes: an incident moved to acme/web and unresolved, w5 failed, an incident deleted.
    await ts.store.write(async (tx) => {
      await tx.execute(`UPDATE incidents SET repository_id = 'acme/web' WHERE id = 'i1'`);
      await tx.execute(`UPDATE incidents SET resolved_at = NULL WHERE id = 'i6'`);
    });
    expect(await stale(ts)).toEqual(['acme/api', 'acme/web']);
    await exact();
    await ts.store.write((tx) => tx.execute(`UPDATE deployments SET status = 'failure' WHERE id = 'w5'`));
    await exact();
    await ts.store.write((tx) => tx.execute(`DELETE FROM incidents WHERE id = 'i1'`));
    expect(await stale(ts)).toEqual(['acme/web']);
    expect(await exact()).toEqual({ org: { count: 0, p50: null }, payments: { count: 0, p50: null }, web: { count: 0, p50: null } });
    await oracle.close();
    await ts.close();
  });

  it('a database migrated from before 0033 gets the attributions of its mapping back by the next metric read', async () => {
    const database = join(dir, 'migrated.db');
    const ts = await createTeamState({ database, metrics: builtinMetrics });
    await ts.import({
      ...org,
      deployments: [
        deployment('d3', at(3)),
        deployment('d4', at(4), { environment: 'PROD' }),
        deployment('w5', at(5), { repository: 'acme/web' }),
      ],
      incidents: [
        incident('i1', at(4, 6), { resolvedAt: at(4, 9), repository: 'acme/api' }),
        incident('i2', at(5, 1), { resolvedAt: at(5, 3), repository: 'acme/api', deployment: 'w5' }),
        incident('i3', at(2), { repository: 'acme/api' }),
      ],
    });
    const before = await recovery(ts);
    const built = await attributions(ts);
    expect(built.map((row) => row.split(' ')[0])).toEqual(['i1→d4', 'i2→w5']);
    // Back to before the migration: no table, no triggers, the migration not applied.
    await ts.store.write(async (tx) => {
      for (const trigger of ['insert', 'update', 'delete']) await tx.execute(`DROP TRIGGER incidents_mapping_${trigger}`);
      await tx.execute('DROP TABLE incident_deployments');
      // 0061 (the derived rows keyed by a digest of their settings) runs after it, as in any upgrade from before 0033.
      await tx.execute(`DELETE FROM __teamstate_migrations WHERE tag IN ('0033_incident_deployments', '0063_delivery_settings_digest')`);
    });
    await ts.close();
    const migrated = await createTeamState({ database, metrics: builtinMetrics });
    // 0061 leaves them to be built again by the next metric read, under the digest of its settings.
    expect(await recovery(migrated)).toEqual(before);
    expect(await attributions(migrated)).toEqual(built);
    await migrated.close();
  });
});
