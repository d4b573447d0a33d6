import { createTeamState, type MetricCalculator, type TeamState } from '@teamstate/core';
import { builtinMetrics } from '@teamstate/metrics';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { acmeBundle, NOW } from './fixtures/acme.js';
import { call, connect } from './fixtures/connect.js';

// get_metrics takes none of the turns other tool calls share: ts.metrics schedules its computations itself (a few at
// once, first come first served, on reader threads for a large file), so a query answered from its last result, and
// every other tool, is answered while computations run.
const released: (() => void)[] = [];
const held: MetricCalculator = {
  id: 'held',
  title: 'Held',
  unit: 'count',
  description: 'Answers once the test lets it.',
  compute: async () => {
    await new Promise<void>((resolve) => released.push(resolve));
    return { value: 1, unit: 'count' };
  },
};

let ts: TeamState;
beforeAll(async () => {
  ts = await createTeamState({ database: ':memory:', clock: () => NOW, metrics: [...builtinMetrics, held] });
  await ts.import(acmeBundle());
});
afterAll(() => ts.close());

describe('get_metrics and the turns of tool calls', () => {
  it('answers a query asked again, and other tools, while computations hold every turn', async () => {
    const { client, close } = await connect(ts);
    const throughput = { ids: ['throughput'], team: 'payments', from: '2026-02-01T00:00:00Z', to: '2026-03-01T00:00:00Z' };
    const first = await call(client, 'get_metrics', throughput);
    // As many held computations as tool calls run at once (and more).
    const computing = ['payments', 'platform', 'leads'].map((team) => call(client, 'get_metrics', { ids: ['held'], team }));
    await vi.waitFor(() => expect(released).toHaveLength(3));
    expect(await call(client, 'get_metrics', throughput)).toEqual(first);
    expect(await call(client, 'team_overview', { team: 'payments' })).toMatchObject({ workspace: 'default' });
    for (const release of released) release();
    expect((await Promise.all(computing)).map((result) => result.metrics)).toEqual(
      [0, 1, 2].map(() => ({ held: { value: 1, unit: 'count' } })),
    );
    await close();
  });
});
