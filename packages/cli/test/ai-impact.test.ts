import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTeamState, type WorkItem } from '@teamstate/core';
import { afterEach, describe, expect, it } from 'vitest';
import { main } from '../src/main.js';
import type { Io } from '../src/runtime.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const HOUR = 3_600_000;
const iso = (ms: number) => new Date(ms).toISOString();

/** 12 AI-assisted PRs merged in 2 h and 12 others in 30 h, in March 2026. */
async function database(): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'teamstate-cli-ai-'));
  dirs.push(dir);
  const db = join(dir, 'teamstate.db');
  const ts = await createTeamState({ database: db });
  const workItems: WorkItem[] = Array.from({ length: 24 }, (_, i) => {
    const created = Date.UTC(2026, 2, 2) + i * 12 * HOUR;
    const ai = i % 2 === 0;
    return {
      id: `pr-${i}`,
      source: 'github',
      kind: 'pull_request',
      key: `acme/api#${i}`,
      title: `Change ${i}`,
      state: 'merged',
      repository: 'acme/api',
      createdAt: iso(created),
      mergedAt: iso(created + (ai ? 2 + (i % 3) * 0.5 : 30 + (i % 5)) * HOUR),
      additions: ai ? 50 : 400,
      deletions: 10,
      labels: ai ? ['ai-copilot'] : ['backend'],
    };
  });
  await ts.import({ format: 'teamstate.bundle/v1', repositories: [{ id: 'acme/api' }], workItems });
  await ts.close();
  return db;
}

async function cli(args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const io: Io = { stdout: (t) => out.push(t), stderr: (t) => err.push(t), env: { COLUMNS: '250' }, isTTY: false, cwd: tmpdir() };
  const code = await main(args, io);
  return { code, stdout: out.join(''), stderr: err.join('') };
}

const window = ['--from', '2026-03-01', '--to', '2026-04-01'];

describe('teamstate ai-impact', () => {
  it('prints both groups, the differences with intervals, the verdict, weekly adoption and tools', async () => {
    const db = await database();
    const { code, stdout } = await cli(['--db', db, 'ai-impact', ...window]);
    expect(code).toBe(0);
    expect(stdout).toContain('AI impact, PRs merged in 2026-03-01 00:00 to 2026-04-01 00:00 UTC');
    expect(stdout).toMatch(/merged PRs\s+12\s+12/);
    expect(stdout).toMatch(/cycle time p50\s+2\.5 h\s+32 h\s+-29\.5 h\s+-?[\d.]+ h to -[\d.]+ h\s+lower/);
    expect(stdout).toContain('12 AI-assisted vs 12 other merged pull requests. Cycle time p50: lower for AI-assisted PRs by 29.5 h');
    expect(stdout).toMatch(/2026-03-02\s+13\s+7\s+53\.8 %/);
    expect(stdout).toMatch(/copilot\s+12\s+2\.5 h/);
  });

  it('--json prints ts.aiImpact() as is; a small sample says "not enough data"', async () => {
    const db = await database();
    const { stdout } = await cli(['--db', db, '--json', 'ai-impact', ...window, '--min-sample', '20']);
    const impact = JSON.parse(stdout);
    expect(impact).toMatchObject({ assisted: { n: 12, cycleTimeHoursP50: 2.5 }, other: { n: 12 }, minSample: 20 });
    expect(impact.verdict).toBe(
      'Not enough data: 12 AI-assisted and 12 other merged pull requests; at least 20 of each are needed to compare them.',
    );
    expect(impact.tools).toEqual([{ tool: 'copilot', n: 12, cycleTimeHoursP50: 2.5 }]);
    const bad = await cli(['--db', db, 'ai-impact', '--min-sample', 'x']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--min-sample: expected a whole number of at least 2, got "x"');
  });
});
