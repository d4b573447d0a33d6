import { createTeamState, type TeamState } from '@teamstate/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NOW, plantedCapacity } from '../../core/test/fixtures/planted-capacity.js';
import { plantedDependencies } from '../../core/test/fixtures/planted-dependencies.js';
import { FROM, plantedEffort, TO } from '../../core/test/fixtures/planted-effort.js';
import { call, callError, connect } from './fixtures/connect.js';

// get_allocation and plan_capacity (toolset insights) answer what ts.allocation() and ts.capacity.plan() answer,
// through the real client; get_work_item shows blockedBy and blocks.

let ts: TeamState;
let server: Awaited<ReturnType<typeof connect>>;

beforeAll(async () => {
  ts = await createTeamState({ database: ':memory:', clock: () => NOW });
  await ts.import(plantedEffort().bundle);
  await ts.import(plantedCapacity());
  await ts.import(plantedDependencies());
  server = await connect(ts, { toolsets: ['delivery', 'insights'] });
});
afterAll(async () => {
  await server.close();
  await ts.close();
});

describe('the insights toolset', () => {
  it('get_allocation answers as ts.allocation()', async () => {
    const args = { team: 'core', from: FROM, to: TO, by: 'month' as const };
    expect(await call(server.client, 'get_allocation', args)).toEqual(await ts.allocation(args));
    expect(await callError(server.client, 'get_allocation', { team: 'core', from: 'yesterday' })).toContain('from: expected a day');
  });

  it('plan_capacity answers as ts.capacity.plan(), scenarios included', async () => {
    const answer = await call<{ verdict: string; scenario: { baseline: { verdict: string } } }>(server.client, 'plan_capacity', {
      team: 'cap',
      sprint: 's2',
      add: 3,
    });
    expect(answer).toEqual(await ts.capacity.plan({ team: 'cap', sprint: 's2', add: 3 }));
    expect(answer.verdict).toBe('fits');
    expect(answer.scenario.baseline.verdict).toBe('over');
  });

  it('get_work_item shows what blocks the item and what it blocks', async () => {
    const item = await call<{ blockedBy: { id: string; depth: number }[]; blocks: { id: string }[] }>(server.client, 'get_work_item', {
      id: 'DEP-2',
    });
    expect(item.blockedBy).toEqual([
      { id: 'DEP-1', key: 'DEP-1', status: 'In Progress', depth: 1, owner: 'ana' },
      { id: 'DEP-0', key: 'DEP-0', status: 'Done', depth: 2, owner: 'ben' },
    ]);
    expect(item.blocks.map((b) => b.id)).toEqual(['DEP-3', 'DEP-4']);
  });
});
