import { describe, expect, it } from 'vitest';
import { sql } from '../src/kernel/store/sql.js';
import type { MetricCalculator } from '../src/spec/metric-calculator.js';
import type { SignalDetector } from '../src/spec/signal-detector.js';
import {
  connectorContract,
  detectorContract,
  embedderContract,
  metricContract,
  testConnector,
  testEmbedder,
} from '../src/testing/index.js';

// The suites run over the in-memory test connector and a small custom metric and detector; the built-in
// connectors, metrics and detectors run them in their own packages.
const teams = [{ id: 'core', name: 'Core' }];
const incidents = [
  { id: 'inc-1', title: 'Login down', createdAt: '2026-03-10T09:00:00Z' },
  { id: 'inc-2', title: 'Slow search', createdAt: '2026-03-12T09:00:00Z', resolvedAt: '2026-03-12T11:00:00Z' },
  { id: 'inc-3', title: 'Queue stuck', createdAt: '2026-03-15T09:00:00Z' },
];

connectorContract({
  name: 'testConnector (three batches)',
  create: () => testConnector({ batches: [{ teams }, { incidents: incidents.slice(0, 2) }, { incidents: incidents.slice(2) }] }),
});

// A third party's provider id: nothing in core lists it, the connector declares it.
const gitlabPeople = [{ id: 'ana', name: 'Ana', accounts: [{ provider: 'gitlab', id: '17', login: 'ana' }] }];
connectorContract({
  name: 'testConnector (accounts at a provider it declares)',
  create: () => testConnector({ id: 'gitlab', providers: ['gitlab'], batches: [{ teams }, { people: gitlabPeople }] }),
});

describe('connectorContract and providers', () => {
  it('stores and exports an account at a provider core does not list', async () => {
    const { createTeamState } = await import('../src/team-state.js');
    const ts = await createTeamState({
      database: ':memory:',
      connectors: [testConnector({ id: 'gitlab', providers: ['gitlab'], batches: [{ people: gitlabPeople }] })],
    });
    expect((await ts.sync()).ok).toBe(true);
    expect((await ts.people.get('ana'))?.accounts).toEqual([{ provider: 'gitlab', id: '17', login: 'ana' }]);
    await ts.close();
  });
});

const openIncidents: MetricCalculator = {
  specificationVersion: 'v1',
  id: 'open_incidents',
  title: 'Open incidents',
  unit: 'count',
  description: 'Incidents created before `to` and not resolved before it.',
  async compute(db, q) {
    const row = await db.get<{ n: number }>(
      sql`SELECT count(*) AS n FROM incidents WHERE workspace = ${q.workspace} AND created_at < ${q.to} AND (resolved_at IS NULL OR resolved_at >= ${q.to})`,
    );
    const n = row?.n ?? 0;
    return { value: n === 0 ? null : n, unit: 'count', count: n };
  },
};
metricContract({
  calculator: openIncidents,
  bundle: { format: 'teamstate.bundle/v1', teams, incidents },
  window: { from: '2026-03-01T00:00:00Z', to: '2026-03-18T00:00:00Z' },
  expected: { value: 2, count: 2 },
});
// The same metric declaring that it reads no derived table: the suite checks the declaration's names.
metricContract({
  calculator: { ...openIncidents, id: 'open_incidents_declared', reads: [] },
  bundle: { format: 'teamstate.bundle/v1', teams, incidents },
  window: { from: '2026-03-01T00:00:00Z', to: '2026-03-18T00:00:00Z' },
  expected: { value: 2, count: 2 },
});

const longIncidents: SignalDetector = {
  specificationVersion: 'v1',
  kind: 'incident.long',
  title: 'Long incident',
  description: 'An incident open for more than 24 hours.',
  async detect(db, ctx) {
    const rows = await db.all<{ id: string; created_at: number }>(
      sql`SELECT id, created_at FROM incidents WHERE workspace = ${ctx.workspace} AND resolved_at IS NULL`,
    );
    return rows
      .filter((r) => ctx.now.getTime() - r.created_at > 24 * 3_600_000)
      .map((r) => ({
        severity: 'critical' as const,
        subject: { type: 'incident' as const, id: r.id },
        title: `${r.id} is long`,
        evidence: {},
      }));
  },
};
detectorContract({
  detector: longIncidents,
  bundle: { format: 'teamstate.bundle/v1', teams, incidents },
  now: new Date('2026-03-18T10:00:00Z'),
  resolve: async (ts) => {
    await ts.import({
      format: 'teamstate.bundle/v1',
      incidents: incidents.map((i) => ({ ...i, resolvedAt: i.resolvedAt ?? '2026-03-18T09:00:00Z' })),
    });
  },
});
// The same detector declaring its inputs: the suite also proves an incremental refresh stores what a full one does,
// before and after `resolve` changed a table it reads.
detectorContract({
  detector: { ...longIncidents, kind: 'incident.long_declared', incremental: { reads: ['incidents'], drivenBy: 'time' } },
  bundle: { format: 'teamstate.bundle/v1', teams, incidents },
  now: new Date('2026-03-18T10:00:00Z'),
  resolve: async (ts) => {
    await ts.import({
      format: 'teamstate.bundle/v1',
      incidents: incidents.map((i) => ({ ...i, resolvedAt: i.resolvedAt ?? '2026-03-18T09:00:00Z' })),
    });
  },
});

describe('testConnector', () => {
  it('resumes from its cursor: a second sync emits nothing new', async () => {
    const { createTeamState } = await import('../src/team-state.js');
    const ts = await createTeamState({ database: ':memory:', connectors: [testConnector({ batches: [{ teams }, { incidents }] })] });
    expect((await ts.sync()).connectors[0]).toMatchObject({ batches: 2, records: 4 });
    expect((await ts.sync()).connectors[0]).toMatchObject({ batches: 0, records: 0 });
    await ts.close();
  });
});

describe('@teamstate/core/testing', () => {
  it('exports the five suites, testConnector and testEmbedder, and loads vitest only from this entry', async () => {
    const testing = await import('@teamstate/core/testing');
    expect(Object.keys(testing).sort()).toEqual([
      'connectorContract',
      'detectorContract',
      'embedderContract',
      'knowledgeSourceContract',
      'metricContract',
      'testConnector',
      'testEmbedder',
    ]);
    const { readFileSync } = await import('node:fs');
    const root = readFileSync(new URL('../dist/index.js', import.meta.url), 'utf8');
    expect(root).not.toContain('vitest');
  });
});

embedderContract({ name: 'testEmbedder', create: () => testEmbedder({ dimensions: 48 }) });
