import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type AiImpact, defaultMetricIds, metricWindow } from '@teamstate/core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type DashboardData, openDemoWorkspace, TREND_METRIC_IDS, TREND_WEEKS, trendWindow } from '../src/dashboard.js';
import { type RunningDashboard, startDashboard } from '../src/server.js';

const now = new Date('2026-03-18T10:00:00Z');
let dashboard: RunningDashboard;

beforeAll(async () => {
  dashboard = await startDashboard({ port: 0, now });
});
afterAll(async () => {
  await dashboard?.close();
});

const get = (path: string, init?: RequestInit) => fetch(new URL(path, dashboard.url), init);

describe('dashboard JSON API', () => {
  test('GET /api/teams lists the workspace teams', async () => {
    const response = await get('/api/teams');
    expect(response.status).toBe(200);
    const teams = (await dashboard.teamState.teams.list()).map(({ id, name }) => ({ id, name }));
    expect(teams.length).toBeGreaterThan(1);
    expect(await response.json()).toEqual({ teams });
  });

  test('GET /api/dashboard returns what the SDK computes for the team', async () => {
    const ts = dashboard.teamState;
    for (const { id } of await ts.teams.list()) {
      const response = await get(`/api/dashboard?team=${id}`);
      expect(response.status).toBe(200);
      const body = (await response.json()) as DashboardData;
      const window = metricWindow({}, now);
      expect(body.at).toBe(now.toISOString());
      expect(body.team.id).toBe(id);
      expect(body.window).toEqual(window);
      expect(body.metrics).toEqual(await ts.metrics.compute(defaultMetricIds(ts.metrics.list()), { ...window, team: id }));
      expect(body.trends).toEqual(await ts.metrics.compute([...TREND_METRIC_IDS], { ...trendWindow(now), team: id, granularity: 'week' }));
      expect(body.trends.deployment_frequency?.series).toHaveLength(TREND_WEEKS);
      expect(body.signals).toEqual(await ts.signals.list({ team: id, status: 'open' }));
      expect(body.signals.length).toBeGreaterThan(0);
    }
  });

  test("GET /api/ai returns ts.aiImpact for the team over the tiles' window", async () => {
    const ts = dashboard.teamState;
    const window = metricWindow({}, now);
    const shown: Record<string, AiImpact> = {};
    for (const { id } of await ts.teams.list()) {
      const response = await get(`/api/ai?team=${id}`);
      expect(response.status).toBe(200);
      const body = (await response.json()) as AiImpact;
      expect(body).toEqual(await ts.aiImpact({ ...window, team: id }));
      expect(body.from).toBe(window.from);
      expect(body.to).toBe(window.to);
      shown[id] = body;
    }
    // The demo's AI-assisted PRs: enough in payments to compare, too few in growth (which has barely started).
    expect(shown.payments!.assisted.n).toBeGreaterThanOrEqual(shown.payments!.minSample);
    expect(shown.payments!.comparison.cycleTimeHours.interval).toHaveLength(2);
    expect(shown.payments!.weekly.some((week) => (week.share ?? 0) > 0)).toBe(true);
    expect(shown.growth!.assisted.n).toBeGreaterThan(0);
    expect(shown.growth!.assisted.n).toBeLessThan(shown.growth!.minSample);
    expect(shown.growth!.verdict).toMatch(/^Not enough data/);
    const unknown = await get('/api/ai?team=paymnts');
    expect(unknown.status).toBe(400);
    expect(((await unknown.json()) as { parameter: string }).parameter).toBe('team');
    expect((await get('/api/ai')).status).toBe(400);
  });

  test('the pending approval of the demo is listed with the team of its target', async () => {
    const body = (await (await get('/api/dashboard?team=payments')).json()) as DashboardData;
    const pending = await dashboard.teamState.approvals.list({ status: 'pending' });
    expect(pending).toHaveLength(1);
    const item = await dashboard.teamState.workItems.get(pending[0]!.target);
    expect(body.approvals).toEqual([{ ...pending[0], team: item?.team }]);
  });

  test('the trend window is Monday-aligned weeks up to now', () => {
    const window = trendWindow(now);
    expect(new Date(window.from).getUTCDay()).toBe(1);
    expect(window.from.endsWith('T00:00:00.000Z')).toBe(true);
    expect(window.to).toBe(now.toISOString());
  });

  test('a missing or unknown team is a 400 naming the parameter and the valid values', async () => {
    const unknown = await get('/api/dashboard?team=paymnts');
    expect(unknown.status).toBe(400);
    expect(await unknown.json()).toEqual({
      error: 'team: unknown team "paymnts" (did you mean "payments"?); valid values: growth, payments, platform',
      parameter: 'team',
      valid: ['growth', 'payments', 'platform'],
    });
    const missing = await get('/api/dashboard');
    expect(missing.status).toBe(400);
    expect(((await missing.json()) as { error: string }).error).toBe('team: required; valid values: growth, payments, platform');
  });

  test('serves the page and Chart.js from node_modules, and nothing else', async () => {
    const page = await get('/');
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(await page.text()).toContain('<script src="/vendor/chart.umd.min.js"></script>');
    const chart = await get('/vendor/chart.umd.min.js');
    expect(chart.status).toBe(200);
    expect(await chart.text()).toContain('Chart');
    expect((await get('/../package.json')).status).toBe(404);
    expect((await get('/server.ts')).status).toBe(404);
    expect((await get('/api/teams', { method: 'POST' })).status).toBe(405);
  });
});

describe('dashboard on an existing database (--db)', () => {
  test('serves the workspace a database holds, and refuses an empty one by name', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'teamstate-dashboard-'));
    try {
      const database = join(folder, 'teamstate.db');
      const filled = await openDemoWorkspace({ now, database });
      const expected = await filled.metrics.compute(defaultMetricIds(filled.metrics.list()), {
        ...metricWindow({}, now),
        team: 'platform',
      });
      await filled.close();

      const served = await startDashboard({ port: 0, now, database });
      try {
        const body = (await (await fetch(new URL('/api/dashboard?team=platform', served.url))).json()) as DashboardData;
        expect(body.metrics).toEqual(expected);
        expect(body.signals.length).toBeGreaterThan(0);
      } finally {
        await served.close();
      }

      const empty = join(folder, 'empty.db');
      await expect(startDashboard({ port: 0, now, database: empty })).rejects.toThrow(
        `${empty}: workspace "default" has no teams; fill it first with teamstate demo or teamstate sync`,
      );
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });
});
