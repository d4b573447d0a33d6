import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { writeCompanyBundle } from '@teamstate/connectors/demo';
import { createTeamState, type TeamState } from '@teamstate/core';
import { createMcpServer } from '@teamstate/mcp-server';
import { builtinMetrics, builtinSignals } from '@teamstate/metrics';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from './run-cli.js';
import { demoTextReadings, disagreements, type Reading, SURFACES, type SurfaceContext } from './surface-readings.js';

// One number per question: for the demo and a generated organisation, every quantity that more than one surface shows
// (CLI text and --json, MCP tools and prompts through the MCP SDK client, the SDK, the Slack command) is read for each
// team and the organisation at one instant, and all readings of a quantity must agree within their printed rounding.

const NOW = '2026-11-27T12:00:00.000Z';
const DAY = 86_400_000;
const dir = mkdtempSync(join(tmpdir(), 'teamstate-cross-surface-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Opens the SDK and an in-process MCP client on `db` at NOW; `use` gets every surface's context. */
async function readAll(db: string, extra: Reading[] = []): Promise<{ readings: Reading[]; scopes: string[] }> {
  const sdk: TeamState = await createTeamState({
    database: `file:${db}`,
    clock: () => new Date(NOW),
    metrics: builtinMetrics,
    signals: builtinSignals,
  });
  const [clientTransport, serverTransport] = InMemoryTransport.createLinkedPair();
  const server = createMcpServer(sdk);
  await server.connect(serverTransport);
  const mcp = new Client({ name: 'cross-surface', version: '1.0.0' });
  await mcp.connect(clientTransport);
  try {
    await sdk.signals.refresh();
    const metricIds = sdk.metrics.list().flatMap((m) => (['dora', 'flow'].includes(m.category ?? '') ? [m.id] : []));
    const teams = (await sdk.teams.list()).map((t) => t.id);
    const asker = (await sdk.people.list({ team: teams[0] }))[0]!.id;
    const context: SurfaceContext = {
      db,
      now: NOW,
      from: new Date(Date.parse(NOW) - 30 * DAY).toISOString(),
      weekAgo: new Date(Date.parse(NOW) - 7 * DAY).toISOString(),
      metricIds,
      sdk,
      mcp,
      asker,
    };
    const scopes = ['*', ...teams];
    const readings = [...extra];
    for (const scope of scopes) for (const surface of Object.values(SURFACES)) readings.push(...(await surface(context, scope)));
    return { readings, scopes };
  } finally {
    await mcp.close();
    await server.close();
    await sdk.close();
  }
}

/** The quantities read on at least two surfaces for `scope`: what the comparison covers. */
const compared = (readings: readonly Reading[], scope: string) => {
  const surfaces = new Map<string, Set<string>>();
  for (const r of readings.filter((x) => x.scope === scope))
    surfaces.set(r.quantity, (surfaces.get(r.quantity) ?? new Set()).add(r.surface));
  return [...surfaces].filter(([, s]) => s.size > 1).map(([q]) => q);
};

describe('one number per question, on every surface', () => {
  let demo: { readings: Reading[]; scopes: string[] };
  let company: { readings: Reading[]; scopes: string[] };

  beforeAll(async () => {
    const demoDb = join(dir, 'demo.db');
    const text = await runCli(['--db', demoDb, '--now', NOW, 'demo'], { env: { NO_COLOR: '1' } });
    expect(text.code, text.stderr).toBe(0);
    const json = await runCli(['--db', demoDb, '--now', NOW, 'demo', '--json']);
    expect(json.code, json.stderr).toBe(0);
    const overview = (JSON.parse(json.stdout) as { overview: { teams: { id: string; name: string; [k: string]: unknown }[] } }).overview;
    const extra = [
      ...demoTextReadings(text.stdout, overview.teams),
      ...overview.teams.flatMap((t) =>
        (
          [
            ['open pull requests', 'openPullRequests'],
            ['review queue', 'pullRequestsAwaitingReview'],
            ['open incidents', 'openIncidents'],
            ['work in progress', 'workInProgress'],
            ['blocked items', 'itemsBlocked'],
          ] as const
        ).map(([quantity, field]) => ({ quantity, scope: t.id, surface: 'cli json demo overview', value: Number(t[field]), step: 0 })),
      ),
    ];
    demo = await readAll(demoDb, extra);

    // A generated organisation, with the incidents an on-call tool brings: one of a team's service only (open, and one
    // resolved in the window), and one naming only a deployment.
    const file = join(dir, 'company.json');
    writeCompanyBundle(file, { now: new Date(NOW), fraction: 0.005 });
    const bundle = JSON.parse(readFileSync(file, 'utf8')) as {
      teams: { id: string }[];
      deployments: { id: string; repository: string; environment: string; finishedAt: string }[];
      repositories: { id: string; team?: string }[];
      incidents?: Record<string, unknown>[];
    };
    const [first, second] = bundle.teams;
    const ofSecond = new Set(bundle.repositories.filter((r) => r.team === second!.id).map((r) => r.id));
    const deployment = bundle.deployments.filter((d) => ofSecond.has(d.repository)).at(-1)!;
    const at = (days: number) => new Date(Date.parse(NOW) - days * DAY).toISOString();
    bundle.incidents = [
      ...(bundle.incidents ?? []),
      {
        id: 'pd-open',
        title: 'queue lag',
        source: 'pagerduty',
        service: 'svc-1',
        team: first!.id,
        status: 'acknowledged',
        createdAt: at(1),
      },
      {
        id: 'pd-resolved',
        title: 'errors',
        source: 'pagerduty',
        service: 'svc-1',
        team: first!.id,
        status: 'resolved',
        createdAt: at(3),
        resolvedAt: at(2.9),
      },
      { id: 'by-deploy', title: 'after a deploy', deployment: deployment.id, createdAt: at(0.5) },
    ];
    writeFileSync(file, JSON.stringify(bundle));
    const companyDb = join(dir, 'company.db');
    const imported = await runCli(['--db', companyDb, 'import', file]);
    expect(imported.code, imported.stderr).toBe(0);
    company = await readAll(companyDb);
  }, 300_000);

  it('the demo: every quantity reads the same on every surface, for each team and the organisation', () => {
    expect(disagreements(demo.readings)).toEqual([]);
    for (const scope of demo.scopes) {
      expect(compared(demo.readings, scope)).toEqual(expect.arrayContaining(['open incidents', 'metric time_to_restore_service']));
      if (scope !== '*') expect(compared(demo.readings, scope)).toEqual(expect.arrayContaining(['review queue', 'work in progress']));
    }
  });

  it('a generated organisation: the same, with incidents of a service and of a deployment only', () => {
    expect(disagreements(company.readings)).toEqual([]);
    for (const scope of company.scopes) expect(compared(company.readings, scope)).toEqual(expect.arrayContaining(['open incidents']));
  });

  it("the demo's payments team counts its service's incidents: both open ones, and the P1 resolved in the window", () => {
    const of = (quantity: string) => demo.readings.filter((r) => r.scope === 'payments' && r.quantity === quantity);
    expect(new Set(of('open incidents').map((r) => r.value))).toEqual(new Set([2]));
    expect(of('metric time_to_restore_service count').every((r) => r.value >= 1)).toBe(true);
  });
});
