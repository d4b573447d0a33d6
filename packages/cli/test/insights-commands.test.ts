import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { plantedCapacity } from '../../core/test/fixtures/planted-capacity.js';
import { plantedDependencies } from '../../core/test/fixtures/planted-dependencies.js';
import { FROM, plantedEffort, TO } from '../../core/test/fixtures/planted-effort.js';
import { runCli } from './run-cli.js';

// teamstate allocation, capacity and deps on organisations whose answers are known by construction (core's planted
// fixtures), with --json and configured work types.

const dir = mkdtempSync(join(tmpdir(), 'teamstate-insights-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const db = join(dir, 'team.db');
const NOW = '2026-11-05T12:00:00Z';
const teamstate = (...args: string[]) => runCli(['--db', db, '--now', NOW, ...args], { cwd: dir });
const effort = plantedEffort();

beforeAll(async () => {
  for (const [name, bundle] of [
    ['effort', effort.bundle],
    ['capacity', plantedCapacity()],
    ['deps', plantedDependencies()],
  ] as const) {
    writeFileSync(join(dir, `${name}.json`), JSON.stringify(bundle));
    const imported = await teamstate('import', join(dir, `${name}.json`));
    expect(imported.code, imported.stderr).toBe(0);
  }
});

describe('teamstate allocation', () => {
  it('prints shares per type, and the same figures as JSON', async () => {
    const json = await teamstate('allocation', '--team', 'core', '--from', FROM, '--to', TO, '--json');
    expect(json.code, json.stderr).toBe(0);
    const answer = JSON.parse(json.stdout);
    expect(answer.window).toEqual({ from: FROM, to: TO, weekdays: effort.weekdays });
    const bug = answer.teams[0].types.find((t: { type: string }) => t.type === 'bug');
    expect(Math.abs(bug.share - effort.truth.get('bug')! / effort.activeDays)).toBeLessThan(0.02);
    expect(Object.keys(answer)).toEqual(['window', 'teams', 'unclassified']);
    const text = await teamstate('allocation', '--team', 'core', '--from', FROM, '--to', TO, '--by', 'month');
    expect(text.stdout).toMatch(/core: [\d.]+ FTE/);
    expect(text.stdout).toMatch(/ktlo\s+[\d.]+ %/);
    expect(text.stdout).toContain('2026-09-01…2026-09-30');
  });

  it('follows workTypes from the config, and refuses a bad --by naming it', async () => {
    writeFileSync(join(dir, 'teamstate.config.yaml'), 'workTypes:\n  - type: platform\n    when: { labels: [ops] }\n');
    try {
      const answer = JSON.parse((await teamstate('allocation', '--team', 'core', '--from', FROM, '--to', TO, '--json')).stdout);
      const share = (type: string) => answer.teams[0].types.find((t: { type: string }) => t.type === type)?.share;
      expect(share('ktlo')).toBe(0);
      expect(share('platform')).toBeGreaterThan(0.3);
    } finally {
      rmSync(join(dir, 'teamstate.config.yaml'));
    }
    const bad = await teamstate('allocation', '--by', 'day');
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toContain('--by: expected week or month');
  });
});

describe('teamstate capacity', () => {
  it('gives the active sprint its verdict and answers what-if scenarios', async () => {
    const plan = JSON.parse((await teamstate('capacity', '--team', 'cap', '--json')).stdout);
    expect(plan).toMatchObject({ team: 'cap', committed: 30, verdict: 'fits', throughput: { p15: 47, p50: 47, p85: 47 } });
    expect(plan.people).toContainEqual({ person: 'a0', availableDays: 8 });
    const over = JSON.parse((await teamstate('capacity', '--team', 'cap', '--sprint', 's2', '--json')).stdout);
    expect(over.verdict).toBe('over');
    const without = JSON.parse((await teamstate('capacity', '--team', 'cap', '--without', 'a3', '--without', 'a4', '--json')).stdout);
    expect(without.throughput.p50).toBe(27);
    expect(without.scenario.without).toEqual(['a3', 'a4']);
    const text = await teamstate('capacity', '--team', 'cap', '--sprint', 's2', '--add', '3');
    expect(text.stdout).toContain('Committed 80 items: fits.');
    expect(text.stdout).toContain('Scenario with 3 more; unchanged: 50 (50 to 50), over.');
  });
});

describe('teamstate deps', () => {
  it('shows the chain, its depths and roots', async () => {
    const chain = JSON.parse((await teamstate('deps', 'DEP-4', '--json')).stdout);
    expect(chain.roots.sort()).toEqual(['DEP-1', 'DEP-5']);
    expect(chain.blockedBy[0]).toMatchObject({ id: 'DEP-3', depth: 1 });
    const text = await teamstate('deps', 'LOOP-3');
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/LOOP-1\s+To Do\s+2\s+ana/);
    const unknown = await teamstate('deps', 'NOPE-1');
    expect(unknown.code).not.toBe(0);
    expect(unknown.stderr).toContain('item: no work item "NOPE-1"');
  });
});
