import { type Connector, createTeamState, type TeamState } from '@teamstate/core';
import { afterEach, describe, expect, it } from 'vitest';
import { plantedDependencies } from './fixtures/planted-dependencies.js';

// ts.workItems.dependencies(): chains of `blocks` links (fixtures/planted-dependencies.ts), their roots and depths,
// and cycles that answer.

let ts: TeamState | undefined;
afterEach(async () => {
  await ts?.close();
  ts = undefined;
});

async function open() {
  ts = await createTeamState({ database: ':memory:', clock: () => new Date('2026-11-20T12:00:00Z') });
  await ts.import(plantedDependencies());
  return ts;
}

const depths = (entries: { id: string; depth: number }[]) => Object.fromEntries(entries.map((e) => [e.id, e.depth]));

describe('ts.workItems.dependencies', () => {
  it('reports a blocked-by chain with each depth and its unfinished roots', async () => {
    const ts = await open();
    const chain = await ts.workItems.dependencies('DEP-4');
    expect(chain.item).toBe('DEP-4');
    expect(depths(chain.blockedBy)).toEqual({ 'DEP-3': 1, 'DEP-2': 2, 'DEP-5': 2, 'DEP-1': 3, 'DEP-6': 3, 'DEP-0': 4 });
    // DEP-0 and DEP-6 are done: DEP-1 and DEP-5 are blocked by nothing unfinished.
    expect(chain.roots.sort()).toEqual(['DEP-1', 'DEP-5']);
    expect(chain.blockedBy.find((e) => e.id === 'DEP-3')).toMatchObject({ key: 'DEP-3', status: 'To Do', owner: 'ben' });
    expect(chain.blocks).toEqual([]);
    expect(chain.cycle).toBe(false);
    const top = await ts.workItems.dependencies('DEP-1');
    expect(depths(top.blocks)).toEqual({ 'DEP-2': 1, 'DEP-3': 2, 'DEP-4': 3 });
    expect(top.roots).toEqual([]);
  });

  it('answers for items in a cycle of links, each item once', async () => {
    const ts = await open();
    const loop = await ts.workItems.dependencies('LOOP-1');
    expect(depths(loop.blockedBy)).toEqual({ 'LOOP-2': 1 });
    expect(depths(loop.blocks)).toEqual({ 'LOOP-2': 1, 'LOOP-3': 2 });
    expect(loop.cycle).toBe(true);
    const below = await ts.workItems.dependencies('LOOP-3');
    expect(depths(below.blockedBy)).toEqual({ 'LOOP-2': 1, 'LOOP-1': 2 });
    expect(below.roots).toEqual([]);
  });

  it('keeps the links in the bundle, refuses a dangling one, and names an unknown item', async () => {
    const ts = await open();
    const bundle = await ts.export();
    expect(bundle.workItemLinks).toHaveLength(10);
    expect(bundle.workItemLinks).toContainEqual({ from: 'LOOP-1', to: 'LOOP-2', kind: 'blocks' });
    await expect(
      ts.import({ format: 'teamstate.bundle/v1', workItemLinks: [{ from: 'DEP-1', to: 'NOPE-1', kind: 'blocks' }] }),
    ).rejects.toThrow(/workItemLinks\[0\]\.to/);
    await expect(ts.workItems.dependencies('NOPE-9')).rejects.toThrow(/^item: no work item "NOPE-9"/);
    // Importing the same bundle again changes nothing.
    await ts.import(plantedDependencies());
    expect((await ts.export()).workItemLinks).toHaveLength(10);
  });
});

describe('a sync batch that replaces links (emit replaceLinks)', () => {
  /** A connector that emits no records, only `replaceLinks` as given. */
  const replacing = (replaceLinks: unknown): Connector => ({
    specificationVersion: 'v1',
    id: 'links',
    description: 'emits only replaceLinks',
    async sync(ctx) {
      await ctx.emit({}, { replaceLinks } as never);
    },
  });

  it('refuses a malformed replaceLinks naming the field, and leaves the links as they were', async () => {
    for (const [given, field] of [
      [{ items: ['DEP-1'], sides: 'sideways', kinds: ['blocks'] }, 'replaceLinks.sides'],
      [{ items: 'DEP-1', sides: 'both', kinds: ['blocks'] }, 'replaceLinks.items'],
      [{ items: ['DEP-1'], sides: 'both', kinds: ['blocks', 'duplicates'] }, 'replaceLinks.kinds'],
    ] as const) {
      ts = await createTeamState({ database: ':memory:', clock: () => new Date('2026-11-20T12:00:00Z'), connectors: [replacing(given)] });
      await ts.import(plantedDependencies());
      const result = await ts.sync();
      expect(result.connectors[0]?.status).toBe('failed');
      expect(result.connectors[0]?.error?.message).toContain(field);
      expect((await ts.export()).workItemLinks).toHaveLength(10);
      await ts.close();
      ts = undefined;
    }
  });

  it('removes the named items’ links of the named kinds on the named side', async () => {
    ts = await createTeamState({
      database: ':memory:',
      clock: () => new Date('2026-11-20T12:00:00Z'),
      connectors: [replacing({ items: ['DEP-4'], sides: 'from', kinds: ['blocks'] })],
    });
    await ts.import(plantedDependencies());
    const before = (await ts.export()).workItemLinks ?? [];
    expect((await ts.sync()).ok).toBe(true);
    const after = (await ts.export()).workItemLinks ?? [];
    expect(after).toEqual(before.filter((link) => !(link.from === 'DEP-4' && link.kind === 'blocks')));
  });
});
