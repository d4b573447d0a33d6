import { demo } from '@teamstate/connectors/demo';
import { createTeamState } from '@teamstate/core';
import { builtinSignals } from '@teamstate/metrics';
import { describe, expect, it } from 'vitest';

// The demo organisation shows where the time goes: a KTLO-heavy team, an overcommitted sprint, a dependency chain.

describe('the demo organisation’s allocation, capacity and dependencies', () => {
  for (const day of ['2026-11-21T10:30:00Z', '2026-12-02T10:30:00Z']) {
    it(`has a KTLO-heavy team, an overcommitted sprint and a blocked chain (${day.slice(0, 10)})`, async () => {
      const now = new Date(day);
      const ts = await createTeamState({ database: ':memory:', clock: () => now, connectors: [demo()], signals: builtinSignals });
      try {
        await ts.sync();
        // The demo's first two teams: the second keeps the lights on, the first waits on it.
        const [payments, platform] = ['payments', 'platform'];
        const allocation = await ts.allocation({ team: platform });
        const share = (type: string) => allocation.teams[0]!.types.find((t) => t.type === type)!.share;
        expect(share('ktlo')).toBeGreaterThan(0.35);
        expect(share('debt')).toBeGreaterThan(0.02);
        expect(allocation.teams[0]!.fte).toBeGreaterThan(3);

        const plan = await ts.capacity.plan({ team: platform });
        expect(plan.verdict).toBe('over');
        expect(plan.committed).toBeGreaterThan(plan.throughput.p85);
        expect(plan.throughput.p50).toBeGreaterThan(5);

        const blocked = (await ts.workItems.list({ team: payments, limit: 100 })).items.map((i) => i.id);
        const chains = await Promise.all(blocked.map((id) => ts.workItems.dependencies(id)));
        const deepest = chains.sort((a, b) => b.blockedBy.length - a.blockedBy.length)[0]!;
        expect(deepest.blockedBy.map((e) => e.depth)).toEqual([1, 2, 3]);
        expect(deepest.roots).toHaveLength(1);
        expect(deepest.roots[0]).toMatch(/PLAT-/);

        await ts.signals.refresh();
        const kinds = (await ts.signals.list()).map((s) => s.kind);
        expect(kinds).toContain('sprint.overcommitted');
        expect(kinds.filter((k) => k === 'item.blocked_by_dependency')).toHaveLength(3);
      } finally {
        await ts.close();
      }
    });
  }
});
