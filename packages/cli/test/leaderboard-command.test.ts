import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from './run-cli.js';

const dir = mkdtempSync(join(tmpdir(), 'teamstate-leaderboard-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const db = join(dir, 'team.db');
const teamstate = (...args: string[]) => runCli(['--db', db, ...args], { cwd: dir });

const pr = (n: number, author: string, reviewer: string) => ({
  id: `pr-${n}`,
  source: 'github',
  kind: 'pull_request',
  key: `acme/api#${n}`,
  title: `Change ${n}`,
  state: 'merged',
  repository: 'acme/api',
  author,
  createdAt: '2026-03-02T08:00:00Z',
  mergedAt: `2026-03-0${3 + n}T12:00:00Z`,
  reviews: [{ reviewer, state: 'approved', submittedAt: `2026-03-0${3 + n}T10:00:00Z` }],
});

describe('teamstate leaderboard', () => {
  it('prints the top people per measure as tables or JSON, without those who opted out, and refuses --post when it is off', async () => {
    const bundle = join(dir, 'bundle.json');
    writeFileSync(
      bundle,
      JSON.stringify({
        format: 'teamstate.bundle/v1',
        people: [
          { id: 'ana', name: 'Ana' },
          { id: 'ben', name: 'Ben' },
          { id: 'cy', name: 'Cy' },
        ],
        repositories: [{ id: 'acme/api' }],
        workItems: [pr(1, 'ana', 'ben'), pr(2, 'ana', 'cy'), pr(3, 'cy', 'ben')],
      }),
    );
    expect((await teamstate('import', bundle)).code).toBe(0);
    const table = await teamstate('leaderboard', '--from', '2026-03-02', '--to', '2026-03-09');
    expect(table.code).toBe(0);
    expect(table.stdout).toContain('Leaderboard, [2026-03-02T00:00:00.000Z, 2026-03-09T00:00:00.000Z)');
    expect(table.stdout).toMatch(/reviews_given[\s\S]*1\s+Ben \(ben\)\s+2/);
    expect(table.stdout).toMatch(/prs_merged[\s\S]*1\s+Ana \(ana\)\s+2/);

    expect((await teamstate('people', 'opt-out', 'ben', 'leaderboard')).code).toBe(0);
    const json = await teamstate('leaderboard', '--from', '2026-03-02', '--to', '2026-03-09', '--json');
    expect(json.code).toBe(0);
    const board = JSON.parse(json.stdout) as { measures: { measure: string; entries: { person: string; value: number }[] }[] };
    expect(board.measures.map((m) => m.measure)).toEqual(['reviews_given', 'prs_merged', 'survey_answers', 'guess_accuracy']);
    expect(board.measures[0]!.entries).toEqual([{ person: 'cy', name: 'Cy', value: 1 }]);
    expect(board.measures[1]!.entries.map((e) => [e.person, e.value])).toEqual([
      ['ana', 2],
      ['cy', 1],
    ]);

    const post = await teamstate('leaderboard', '--post');
    expect(post.code).not.toBe(0);
    expect(post.stderr).toMatch(/--post: the leaderboard is off; set leaderboard: \{ enabled: true, channel/);
    expect((await teamstate('--now', '2026-03-09T00:00:00Z', 'leaderboard', '--post')).stderr).toMatch(/--now: leaderboard --post/);
  });

  it('refuses a configured AI usage measure and a bad schedule, naming the field', async () => {
    const config = join(dir, 'teamstate.config.yaml');
    writeFileSync(config, 'database: team.db\nleaderboard:\n  enabled: true\n  measures: [prs_merged, ai_usage]\n');
    const measure = await runCli(['leaderboard'], { cwd: dir });
    expect(measure.code).not.toBe(0);
    expect(measure.stderr).toMatch(/leaderboard\.measures\[1\]: "ai_usage" is not a leaderboard measure/);
    writeFileSync(config, 'database: team.db\nleaderboard:\n  enabled: true\n  schedule: monday 9am\n');
    expect((await runCli(['leaderboard'], { cwd: dir })).stderr).toMatch(/leaderboard\.schedule: expected a weekday and a UTC time/);
    rmSync(config);
  });
});
