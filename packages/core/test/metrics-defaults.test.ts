import { describe, expect, it } from 'vitest';
import { defaultMetricIds, metricWindow } from '../src/services/metrics/metric-defaults.js';
import type { MetricCalculator } from '../src/spec/metric-calculator.js';
import { createTeamState } from '../src/team-state.js';

// Two calculators in the default categories and one outside them: merged PRs and the window they were counted in.
const merged = (id: string, category: string): MetricCalculator => ({
  id,
  title: id,
  unit: 'count',
  category,
  description: 'Pull requests merged in [from, to).',
  async compute(store, q) {
    const { rows } = await store.execute(
      "SELECT count(*) AS n FROM work_items WHERE workspace = ? AND kind = 'pull_request' AND merged_at >= ? AND merged_at < ?",
      [q.workspace, q.from, q.to],
    );
    return { value: Number(rows[0]?.n), unit: 'count', count: Number(rows[0]?.n), from: q.from, to: q.to };
  },
});
const builtinMetrics = [merged('merged_prs', 'flow'), merged('deploy_prs', 'dora'), merged('sprint_prs', 'sprint')];

const now = new Date('2026-03-31T12:00:00Z');
const bundle = {
  format: 'teamstate.bundle/v1' as const,
  teams: [{ id: 'payments', name: 'Payments' }],
  people: [{ id: 'ana', name: 'Ana' }],
  repositories: [{ id: 'acme/api', team: 'payments' }],
  workItems: [
    {
      id: 'pr1',
      source: 'github',
      kind: 'pull_request' as const,
      key: 'acme/api#1',
      title: 'Add retries',
      state: 'merged',
      repository: 'acme/api',
      author: 'ana',
      createdAt: '2026-03-10T09:00:00Z',
      mergedAt: '2026-03-11T09:00:00Z',
    },
    {
      id: 'pr2',
      source: 'github',
      kind: 'pull_request' as const,
      key: 'acme/api#2',
      title: 'Old',
      state: 'merged',
      repository: 'acme/api',
      author: 'ana',
      createdAt: '2026-01-10T09:00:00Z',
      mergedAt: '2026-01-11T09:00:00Z',
    },
  ],
  deployments: [
    {
      id: 'd1',
      repository: 'acme/api',
      environment: 'production',
      status: 'success' as const,
      finishedAt: '2026-03-12T09:00:00Z',
      pullRequests: ['pr1'],
    },
  ],
};

describe('ts.metrics.compute() defaults', () => {
  it('computes the default set (DORA and flow) over the 30 days before the injected now when given no ids and no window', async () => {
    const ts = await createTeamState({ database: ':memory:', metrics: builtinMetrics, clock: () => now });
    await ts.import(bundle);
    const ids = defaultMetricIds(ts.metrics.list());
    expect(ids).toEqual(['merged_prs', 'deploy_prs']);
    const implicit = await ts.metrics.compute();
    expect(Object.keys(implicit)).toEqual(ids);
    expect(implicit).toEqual(await ts.metrics.compute(ids, metricWindow({}, now)));
    // The window really is the last 30 days: the January PR is outside it.
    expect(implicit.merged_prs?.count).toBe(1);
    await ts.close();
  });

  it('defaults only what is left out: a scope without a window, or a start without an end', async () => {
    const ts = await createTeamState({ database: ':memory:', metrics: builtinMetrics, clock: () => now });
    await ts.import(bundle);
    expect(await ts.metrics.compute(undefined, { team: 'payments' })).toEqual(
      await ts.metrics.compute(defaultMetricIds(ts.metrics.list()), { ...metricWindow({}, now), team: 'payments' }),
    );
    const sinceJanuary = await ts.metrics.compute(['merged_prs'], { from: '2026-01-01' });
    expect(sinceJanuary.merged_prs?.count).toBe(2);
    expect((await ts.metrics.explain('sprint_prs')).to).toBe('2026-03-31T12:00:00.000Z');
    await ts.close();
  });
});
