import { createTeamState, type SignalDetector } from '@teamstate/core';
import { describe, expect, it } from 'vitest';
import { NOW, plantedCapacity } from '../../core/test/fixtures/planted-capacity.js';
import { plantedDependencies } from '../../core/test/fixtures/planted-dependencies.js';
import { builtinSignals, itemBlockedByDependency, sprintOvercommitted } from '../src/signals/index.js';

// sprint.overcommitted and item.blocked_by_dependency on organisations whose capacity and chains are known by
// construction (core's planted fixtures).

async function detect(detector: SignalDetector, bundle: object, now: Date) {
  const ts = await createTeamState({ database: ':memory:', signals: [detector], clock: () => now });
  await ts.import(bundle);
  await ts.signals.refresh();
  const found = await ts.signals.list();
  await ts.close();
  return found;
}

describe('sprint.overcommitted', () => {
  it('fires for a sprint that starts with more committed than its p85, and not for an easy one', async () => {
    expect(builtinSignals).toContain(sprintOvercommitted);
    const [signal, ...rest] = await detect(sprintOvercommitted, plantedCapacity(80), NOW);
    expect(rest).toEqual([]);
    expect(signal).toMatchObject({ subject: { type: 'sprint', id: 's1' }, team: 'cap', severity: 'critical' });
    expect(signal!.evidence).toMatchObject({ committed: 80, throughput: { p15: 47, p50: 47, p85: 47 }, availableDays: 47 });
    expect(await detect(sprintOvercommitted, plantedCapacity(30), NOW)).toEqual([]);
  });
});

describe('item.blocked_by_dependency', () => {
  it('names the root of each chain and its owner, and answers for a cycle', async () => {
    expect(builtinSignals).toContain(itemBlockedByDependency);
    const found = await detect(itemBlockedByDependency, plantedDependencies(), new Date('2026-11-20T12:00:00Z'));
    const byItem = Object.fromEntries(found.map((s) => [s.subject.id, s]));
    // DEP-0 and DEP-6 are done: their links do not block.
    expect(Object.keys(byItem).sort()).toEqual(['DEP-2', 'DEP-3', 'DEP-4', 'LOOP-1', 'LOOP-2', 'LOOP-3']);
    expect(byItem['DEP-4']!.title).toBe('DEP-4 is blocked by DEP-1 (owner ana), 3 links up the chain');
    expect(byItem['DEP-4']!.evidence).toMatchObject({ root: { id: 'DEP-1', owner: 'ana', depth: 3 } });
    expect(byItem['DEP-2']!.title).toBe('DEP-2 is blocked by DEP-1 (owner ana)');
    expect(byItem['LOOP-3']!.title).toBe('LOOP-3 is blocked by a cycle of links (LOOP-2, LOOP-1)');
    expect(byItem['LOOP-3']!.evidence).toMatchObject({ root: null, roots: [] });
  });
});
