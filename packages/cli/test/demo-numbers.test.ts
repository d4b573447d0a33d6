import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from './run-cli.js';

// One number per question on the demo: each surface shows a value with its unit and window, and the value is right.

const dir = mkdtempSync(join(tmpdir(), 'teamstate-numbers-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const db = join(dir, 'demo.db');
const NOW = '2026-11-27T18:47:08.333Z';
const DAY = 86_400_000;
const teamstate = (...args: string[]) => runCli(['--db', db, '--now', NOW, ...args], { cwd: dir });
/** A float printed as it came out of the arithmetic: three or more decimals. */
const RAW_FLOAT = /\d\.\d{3,}/;
const WINDOW = '2026-10-28 18:47 to 2026-11-27 18:47 UTC';

let demo: string;
beforeAll(async () => {
  const result = await teamstate('demo');
  expect(result.code, result.stderr).toBe(0);
  demo = result.stdout;
});

describe('windows print in one format on every text surface', () => {
  it('metrics, ai-impact and the demo overview show the same window the same way', async () => {
    expect(demo).toContain(`DORA and flow, ${WINDOW}`);
    expect((await teamstate('metrics')).stdout).toContain(`Metrics for ${WINDOW}`);
    expect((await teamstate('ai-impact')).stdout).toContain(`AI impact, PRs merged in ${WINDOW}`);
  });

  it('prints points to one decimal with their unit', async () => {
    const out = (await teamstate('metrics', 'sprint_completion', 'velocity', '--team', 'payments')).stdout;
    expect(out).toMatch(/^velocity\s+\d+(\.\d)? points\s/m);
    expect(out).toMatch(/^sprint_completion\s+\d+\.\d %\s/m);
  });
});

describe('sprint', () => {
  it('says the days left as they are, and a closed sprint as closed', async () => {
    const active = JSON.parse((await teamstate('sprint', '--team', 'payments', '--json')).stdout) as { sprint: { endAt: string } };
    const left = (Date.parse(active.sprint.endAt) - Date.parse(NOW)) / DAY;
    const text = (await teamstate('sprint', '--team', 'payments')).stdout;
    expect(text).toContain(`${(Math.round(left * 10) / 10).toFixed(1)} days left`);
    const closed = (await teamstate('sprint', '--sprint', 'sprint-payments-7')).stdout;
    expect(closed).toMatch(/^Payments Sprint 7: closed /m);
    expect(closed).not.toMatch(/days left|on track/);
  });
});

describe('goals progress', () => {
  it('prints key results with units, says which counts are all-time and which in the window, and allocates PRs through their issues', async () => {
    const out = (await teamstate('goals', 'progress')).stdout;
    expect(out).not.toMatch(RAW_FLOAT);
    expect(out).toMatch(/pr_cycle_time \d+(\.\d+)? h \(target ≤ 48 h/);
    expect(out).toMatch(/all time/);
    expect(out).toMatch(/Allocation in the window 2026-10-01 00:00 to 2026-11-27 18:47 UTC/);
    const json = JSON.parse((await teamstate('goals', 'progress', '--json')).stdout) as {
      allocation: { mergedPullRequests: { total: number; shares: { goal: string; count: number }[] } };
    };
    const { total, shares } = json.allocation.mergedPullRequests;
    const unlinked = shares.find((s) => s.goal === 'unlinked')!.count;
    // The demo's pull requests name the issue they work on; those under a goal's epic carry the PR to the goal.
    expect(unlinked).toBeLessThan(total);
    expect(shares.filter((s) => s.goal !== 'unlinked').every((s) => s.count > 0)).toBe(true);
  });
});

describe('forecast', () => {
  it('prints days that agree with the dates and a backtest of at least 20 windows that holds, or says calibration is unknown', async () => {
    const out = (await teamstate('forecast', '--team', 'payments', '--items', '30')).stdout;
    const from = /(\d{4}-\d{2}-\d{2}) to (\d{4}-\d{2}-\d{2})/.exec(out)!;
    const start = Date.parse(`${from[2]}T00:00:00Z`);
    const rows = [...out.matchAll(/^\d+ %\s+(\d{4}-\d{2}-\d{2})\s+(\d+)$/gm)];
    expect(rows).toHaveLength(4);
    // The days from the forecast's start (the clock's day) to each date.
    const today = Date.parse(`${NOW.slice(0, 10)}T00:00:00Z`);
    expect(start).toBe(today);
    for (const [, date, days] of rows) expect((Date.parse(`${date}T00:00:00Z`) - today) / DAY).toBe(Number(days));
    const backtest = /Backtest: 85 % ranges held (\d+) of (\d+) times/.exec(out);
    if (backtest) {
      const [held, windows] = [Number(backtest[1]), Number(backtest[2])];
      expect(windows).toBeGreaterThanOrEqual(20);
      expect(held / windows).toBeGreaterThanOrEqual(0.75);
      expect(held / windows).toBeLessThanOrEqual(0.95);
    } else expect(out).toMatch(/calibration unknown \(\d+ windows\)/);
  });
});

describe('ai-impact', () => {
  it('starts weeks on Monday (a cut first week marked partial), adds tools up to the AI-assisted PRs, and prints units', async () => {
    const out = (await teamstate('ai-impact')).stdout;
    const weeks = [...out.matchAll(/^(\d{4}-\d{2}-\d{2})( \(partial\))?\s+\d+\s+\d+\s+[\d.]+ %$/gm)];
    expect(weeks.length).toBeGreaterThan(3);
    for (const [i, week] of weeks.entries()) {
      const weekday = new Date(`${week[1]}T00:00:00Z`).getUTCDay();
      if (i === 0 && weekday !== 1) expect(week[2]).toBe(' (partial)');
      else expect(weekday).toBe(1);
    }
    const assisted = Number(/^merged PRs\s+(\d+)/m.exec(out)![1]);
    const tools = out.slice(out.indexOf('\nTools\n'), out.indexOf('\nReviewers'));
    const perTool = [...tools.matchAll(/^\S+(?: \S+)*?\s{2,}(\d+)\s{2,}/gm)].map((m) => Number(m[1]));
    expect(perTool.reduce((a, b) => a + b, 0)).toBe(assisted);
    expect(out).not.toMatch(/ ,/);
    expect(out).toMatch(/share reverted or reworked within 21 days: [^(]*\([+-]?\d+(\.\d)? %/);
  });
});
