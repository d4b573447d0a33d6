import { demoBundle } from '@teamstate/connectors/demo';
import { createTeamState } from '@teamstate/core';
import { describe, expect, it } from 'vitest';
import { builtinMetrics } from '../src/index.js';

// Issues of real teams wait far more than they are worked on (for review, on hold, blocked): flow efficiency of 15 to
// 40% is common, near 100% is not. The demo's issues wait too, so its flow efficiency reads like a real team's.

const DAY = 86_400_000;

async function flowEfficiency(now: Date, days: number, team?: string) {
  const ts = await createTeamState({ database: ':memory:', clock: () => now, metrics: builtinMetrics });
  try {
    await ts.import(demoBundle({ now }));
    const to = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
    const window = { from: new Date(to - days * DAY).toISOString(), to: new Date(to).toISOString(), ...(team ? { team } : {}) };
    return (await ts.metrics.compute(['flow_efficiency'], window)).flow_efficiency!;
  } finally {
    await ts.close();
  }
}

describe('the demo organisation’s flow', () => {
  // A Monday, a Wednesday and a Saturday: the anchor's weekday changes what is resolved in the window.
  for (const at of ['2026-11-23T09:30:00Z', '2026-03-11T12:00:00Z', '2026-06-06T10:00:00Z']) {
    it(`has a flow efficiency between 15% and 40% over the last 30 and 90 days (anchored ${at.slice(0, 10)})`, async () => {
      for (const days of [30, 90]) {
        const result = await flowEfficiency(new Date(at), days);
        expect(result.count, `${days} days`).toBeGreaterThan(30);
        expect(result.value, `${days} days`).toBeGreaterThan(0.15);
        expect(result.value, `${days} days`).toBeLessThan(0.4);
      }
    });
  }

  it('has each team’s flow efficiency between 15% and 40% over 90 days', async () => {
    for (const team of ['payments', 'platform', 'growth']) {
      const result = await flowEfficiency(new Date('2026-11-23T09:30:00Z'), 90, team);
      expect(result.value, team).toBeGreaterThan(0.15);
      expect(result.value, team).toBeLessThan(0.4);
    }
  });
});
