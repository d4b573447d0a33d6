import { afterEach, describe, expect, it } from 'vitest';
import { summarizeAiUsage } from '../src/features/ai/ai-usage-summary.js';
import { builtinFeatures } from '../src/features/index.js';
import { openStore, type Store } from '../src/kernel/store/open-store.js';
import { createStoreReader } from '../src/kernel/store/store-reader.js';
import { migrations } from '../src/migrations.js';
import { importBundle } from '../src/records/bundle/import-bundle.js';

const day = (d: string, rest: Record<string, unknown>) => ({ day: d, tool: 'copilot', ...rest });

describe('summarizeAiUsage', () => {
  let store: Store | undefined;
  afterEach(() => store?.close());

  async function open() {
    store = await openStore({ database: ':memory:', now: () => 0, migrations });
    await importBundle(
      store,
      'w',
      {
        format: 'teamstate.bundle/v1',
        teams: [
          { id: 'pay', name: 'Payments' },
          { id: 'web', name: 'Web' },
        ],
        people: [
          { id: 'ana', name: 'Ana', teams: ['pay'] },
          { id: 'bob', name: 'Bob', teams: ['pay'] },
          { id: 'cy', name: 'Cy', teams: ['web'] },
        ],
        aiUsage: [
          // 03-01 has an organisation row (which also counts people the workspace does not know); 03-02 has none.
          day('2026-03-01', { activeUsers: 4, codeGenerations: 100, acceptances: 30, interactions: 9 }),
          day('2026-03-01', { person: 'ana', activeUsers: 1, codeGenerations: 40, acceptances: 10, interactions: 5 }),
          day('2026-03-01', { person: 'cy', activeUsers: 1, codeGenerations: 20, acceptances: 8 }),
          day('2026-03-02', { person: 'ana', activeUsers: 1, codeGenerations: 10, acceptances: 5, linesAccepted: 7 }),
          day('2026-03-02', { person: 'bob', activeUsers: 1, codeGenerations: 10, acceptances: 0 }),
          day('2026-03-02', { team: 'pay', tool: 'cursor', activeUsers: 2, interactions: 12 }),
          // Outside the window.
          day('2026-03-05', { person: 'ana', activeUsers: 1, codeGenerations: 1000 }),
        ],
      },
      () => 0,
      { features: builtinFeatures() },
    );
    return createStoreReader(store, 'w');
  }

  it('counts the organisation row of a day where there is one, else the people of that day, never both', async () => {
    const db = await open();
    const { tools } = await summarizeAiUsage(db, { from: '2026-03-01', to: '2026-03-05' });
    expect(tools).toEqual([
      {
        tool: 'copilot',
        days: 2,
        activeUsersPerDay: 3, // (4 + 2) / 2
        people: 2, // ana and bob on 03-02 (03-01 is the organisation's row)
        interactions: 9,
        codeGenerations: 120,
        acceptances: 35,
        acceptanceRate: 0.2917,
        linesSuggested: 0,
        linesAccepted: 7,
      },
    ]);
  });

  it("sums a team's members and the rows reported for the team", async () => {
    const db = await open();
    const { tools } = await summarizeAiUsage(db, { from: '2026-03-01', to: '2026-03-05', team: 'pay' });
    expect(tools.map((t) => [t.tool, t.days, t.activeUsersPerDay, t.codeGenerations, t.acceptances, t.interactions])).toEqual([
      ['copilot', 2, 1.5, 60, 15, 5],
      ['cursor', 1, 2, 0, 0, 12],
    ]);
    expect((await summarizeAiUsage(db, { from: '2026-03-01', to: '2026-03-05', team: 'web' })).tools[0]?.acceptanceRate).toBe(0.4);
    expect((await summarizeAiUsage(db, { from: '2026-04-01', to: '2026-05-01' })).tools).toEqual([]);
  });
});
