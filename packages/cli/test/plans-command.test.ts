import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from './run-cli.js';

// teamstate goals list|progress|add and teamstate forecast, on an imported history.

const dir = mkdtempSync(join(tmpdir(), 'teamstate-plans-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const db = join(dir, 'team.db');
const NOW = '2026-11-20T12:00:00Z';
const teamstate = (...args: string[]) => runCli(['--db', db, '--now', NOW, ...args], { cwd: dir });

const DAY = 86_400_000;
/** Two issues done every day for 100 days, every fifth labelled checkout; PRs merged this quarter. */
function bundle() {
  const today = Date.parse('2026-11-20T00:00:00Z');
  const items: Record<string, unknown>[] = [];
  for (let d = 100; d >= 1; d--)
    for (let i = 0; i < 2; i++) {
      const key = `PAY-${items.length + 1}`;
      items.push({
        id: key,
        source: 'jira',
        kind: 'story',
        key,
        title: `Story ${key}`,
        state: 'Done',
        statusCategory: 'done',
        team: 'payments',
        createdAt: new Date(today - (d + 3) * DAY).toISOString(),
        resolvedAt: new Date(today - d * DAY + (i + 1) * 3_600_000).toISOString(),
        storyPoints: 1,
        ...(items.length % 5 === 0 ? { labels: ['checkout'] } : {}),
      });
    }
  for (let n = 1; n <= 4; n++)
    items.push({
      id: `pr-${n}`,
      source: 'github',
      kind: 'pull_request',
      key: `acme/api#${n}`,
      title: `Change ${n}`,
      state: 'merged',
      team: 'payments',
      createdAt: '2026-10-10T08:00:00Z',
      mergedAt: `2026-10-1${n}T08:00:00Z`,
      labels: n <= 3 ? ['checkout'] : [],
    });
  return {
    format: 'teamstate.bundle/v1',
    teams: [{ id: 'payments', name: 'Payments' }],
    people: ['ana', 'ben'].map((id) => ({ id, name: id, teams: ['payments'] })),
    workItems: items,
    goals: [{ id: 'checkout', title: 'Faster checkout', team: 'payments', period: '2026-Q4', links: [{ kind: 'label', ref: 'checkout' }] }],
    absences: [{ person: 'ana', from: '2026-11-23', to: '2026-11-27' }],
  };
}

beforeAll(async () => {
  const file = join(dir, 'bundle.json');
  writeFileSync(file, JSON.stringify(bundle()));
  expect((await runCli(['--db', db, 'import', file], { cwd: dir })).code).toBe(0);
});

describe('teamstate goals', () => {
  it('lists goals and shows progress with the allocation, the rows with --explain, and JSON', async () => {
    const list = await teamstate('goals', 'list', '--json');
    expect(list.code).toBe(0);
    expect((JSON.parse(list.stdout) as { goals: { id: string }[] }).goals.map((g) => g.id)).toEqual(['checkout']);

    const json = await teamstate('goals', 'progress', '--team', 'payments', '--period', '2026-Q4', '--json');
    expect(json.code).toBe(0);
    const progress = JSON.parse(json.stdout);
    const prs = Object.fromEntries(
      progress.allocation.mergedPullRequests.shares.map((s: { goal: string; count: number }) => [s.goal, s.count]),
    );
    expect(prs).toEqual({ checkout: 3, unlinked: 1 });
    expect(json.stdout).not.toContain('"rows"');
    const explainedJson = await teamstate('goals', 'progress', 'checkout', '--explain', '--json');
    const explained = JSON.parse(explainedJson.stdout);
    expect(explained.allocation.mergedPullRequests.shares[0].rows.map((r: { key: string }) => r.key)).toEqual([
      'acme/api#1',
      'acme/api#2',
      'acme/api#3',
    ]);

    const text = await teamstate('goals', 'progress', 'checkout', '--explain');
    expect(text.code).toBe(0);
    expect(text.stdout).toContain('checkout: Faster checkout');
    expect(text.stdout).toMatch(/Allocation in the window .+ UTC: 4 merged pull requests/);
    expect(text.stdout).toContain('acme/api#1  Change 1');
    const plain = await teamstate('goals', 'progress', 'checkout');
    expect(plain.stdout).toMatch(/Allocation in the window .+ UTC: 4 merged pull requests/);
    expect(plain.stdout).not.toContain('acme/api#1');
  });

  it('adds a goal, and refuses a bad link or an unknown team naming the flag', async () => {
    const added = await runCli(
      [
        '--db',
        db,
        'goals',
        'add',
        '--id',
        'speed',
        '--title',
        'Speed',
        '--period',
        '2026-Q4',
        '--team',
        'payments',
        '--link',
        'project:PAY',
      ],
      { cwd: dir },
    );
    expect(added.code).toBe(0);
    const bad = await runCli(['--db', db, 'goals', 'add', '--id', 'x', '--title', 'X', '--period', '2026-Q4', '--link', 'ticket:1'], {
      cwd: dir,
    });
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toContain('--link: expected <kind>:<ref> with kind one of epic|label|project|milestone');
    const team = await runCli(['--db', db, 'goals', 'add', '--id', 'x', '--title', 'X', '--period', '2026-Q4', '--team', 'paymnts'], {
      cwd: dir,
    });
    expect(team.stderr).toContain('team: unknown team "paymnts"');
    const list = JSON.parse((await teamstate('goals', 'list', '--json')).stdout) as { goals: { id: string }[] };
    expect(list.goals.map((g) => g.id)).toEqual(['checkout', 'speed']);
  });
});

describe('teamstate forecast', () => {
  it('prints percentiles with the backtest, JSON identical for one seed, and refuses weeks 0 naming it', async () => {
    const text = await teamstate('forecast', '--team', 'payments', '--items', '20');
    expect(text.code).toBe(0);
    expect(text.stdout).toContain('Forecast for payments: 20 items');
    expect(text.stdout).toMatch(/85 %\s+2026-12-\d\d/);
    // 100 days of history give fewer than 20 past windows to backtest: too few to know the calibration.
    expect(text.stdout).toMatch(/Backtest: calibration unknown \(\d+ windows\)/);
    const a = await teamstate('forecast', '--team', 'payments', '--until', '2026-12-31', '--seed', '4', '--json');
    const b = await teamstate('forecast', '--team', 'payments', '--until', '2026-12-31', '--seed', '4', '--json');
    expect(a.stdout).toBe(b.stdout);
    expect(JSON.parse(a.stdout).absentDays).toBe(5);
    const zero = await teamstate('forecast', '--team', 'payments', '--items', '5', '--weeks', '0');
    expect(zero.code).not.toBe(0);
    expect(zero.stderr).toContain('weeks: expected a whole number of weeks from 1 to 104, got 0');
  });
});

describe('goals, absences and joinedAt in the config', () => {
  it('writes them on sync', async () => {
    const here = mkdtempSync(join(tmpdir(), 'teamstate-plans-config-'));
    try {
      writeFileSync(
        join(here, 'teamstate.config.yaml'),
        [
          'database: file:./team.db',
          'teams: [{ id: payments, name: Payments, members: [ana] }]',
          'people: [{ id: ana, name: Ana, joinedAt: "2026-10-05T09:00:00Z" }]',
          'goals: [{ id: speed, title: Speed, team: payments, period: 2026-Q4, links: [{ kind: label, ref: fast }] }]',
          'absences: [{ person: ana, from: 2026-12-21, to: 2027-01-01 }]',
        ].join('\n'),
      );
      expect((await runCli(['sync'], { cwd: here })).code).toBe(0);
      const exported = JSON.parse((await runCli(['export'], { cwd: here })).stdout);
      expect(exported.goals.map((g: { id: string }) => g.id)).toEqual(['speed']);
      expect(exported.absences).toEqual([{ person: 'ana', from: '2026-12-21', to: '2027-01-01' }]);
      expect(exported.people.find((p: { id: string }) => p.id === 'ana').joinedAt).toBe('2026-10-05T09:00:00.000Z');
    } finally {
      rmSync(here, { recursive: true, force: true });
    }
  });
});

describe('teamstate onboarding', () => {
  it("prints a recent joiner's plan, as JSON too, and refuses someone who joined long ago", async () => {
    const here = mkdtempSync(join(tmpdir(), 'teamstate-onboarding-'));
    const file = join(here, 'team.db');
    try {
      writeFileSync(
        join(here, 'bundle.json'),
        JSON.stringify({
          format: 'teamstate.bundle/v1',
          teams: [{ id: 'payments', name: 'Payments', leads: ['ana'] }],
          people: [
            { id: 'ana', name: 'Ana', teams: ['payments'], joinedAt: '2024-01-01T00:00:00Z' },
            { id: 'dee', name: 'Dee', teams: ['payments'], joinedAt: '2026-11-01T09:00:00Z' },
          ],
          workItems: [
            {
              id: 'PAY-1',
              source: 'jira',
              kind: 'task',
              key: 'PAY-1',
              title: 'Fix a typo',
              state: 'To Do',
              statusCategory: 'todo',
              team: 'payments',
              createdAt: '2026-10-01T00:00:00Z',
              labels: ['good first issue'],
            },
          ],
        }),
      );
      expect((await runCli(['--db', file, 'import', join(here, 'bundle.json')], { cwd: here })).code).toBe(0);
      const text = await runCli(['--db', file, '--now', NOW, 'onboarding', 'dee'], { cwd: here });
      expect(text.code).toBe(0);
      expect(text.stdout).toContain('Onboarding of Dee (dee), joined 2026-11-01 (joinedAt)');
      expect(text.stdout).toContain('Ana (ana): leads the team');
      expect(text.stdout).toContain('PAY-1  Fix a typo (good first issue)');
      expect(text.stdout).toContain('first pull request: not yet');
      const json = JSON.parse((await runCli(['--db', file, '--now', NOW, 'onboarding', 'dee', '--json'], { cwd: here })).stdout);
      expect(json.progress.daysSinceJoining).toBe(19);
      const old = await runCli(['--db', file, '--now', NOW, 'onboarding', 'ana'], { cwd: here });
      expect(old.code).not.toBe(0);
      expect(old.stderr).toContain('person: ana joined on 2024-01-01, more than 60 days ago');
    } finally {
      rmSync(here, { recursive: true, force: true });
    }
  });
});
