import { createTeamState, type TeamState, type WorkItem } from '@teamstate/core';
import { afterEach, describe, expect, it } from 'vitest';

// ts.forecast(): a seeded Monte Carlo over daily throughput minus absences, with its backtest; calibrated on histories
// generated from a known throughput process.

let ts: TeamState | undefined;
afterEach(async () => {
  await ts?.close();
  ts = undefined;
});

const NOW = new Date('2026-11-20T12:00:00Z');
const DAY = 86_400_000;

/** A seeded generator (xorshift) independent of the one under test. */
function generator(seed: number) {
  let x = seed || 1;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 4_294_967_296;
  };
}

/** Poisson(rate) by inversion. */
function poisson(rate: number, random: () => number): number {
  let k = 0;
  let p = Math.exp(-rate);
  let sum = p;
  const u = random();
  while (u > sum) {
    k++;
    p *= rate / k;
    sum += p;
  }
  return k;
}

/** Issues done per day from a Poisson process of `rate` a day over the `days` before NOW. */
function history(days: number, rate: number, seed: number): WorkItem[] {
  const random = generator(seed);
  const items: WorkItem[] = [];
  const today = Date.parse('2026-11-20T00:00:00Z');
  for (let d = days; d >= 1; d--) {
    const n = poisson(rate, random);
    for (let i = 0; i < n; i++) {
      const at = new Date(today - d * DAY + (i + 1) * 60_000).toISOString();
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
        createdAt: new Date(today - (d + 5) * DAY).toISOString(),
        resolvedAt: at,
      });
    }
  }
  return items;
}

const people = ['ana', 'ben', 'cy', 'dee'].map((id) => ({ id, name: id, teams: ['payments'] }));

async function open(workItems: WorkItem[], extra: Record<string, unknown> = {}) {
  ts = await createTeamState({ database: ':memory:', clock: () => NOW });
  await ts.import({ format: 'teamstate.bundle/v1', teams: [{ id: 'payments', name: 'Payments' }], people, workItems, ...extra });
  return ts;
}

describe('ts.forecast()', () => {
  it('gives the same answer for the same seed, and 50/70/85/95th percentiles in order, with the backtest beside it', async () => {
    const t = await open(history(400, 2, 7));
    const a = await t.forecast({ team: 'payments', items: 40, seed: 42 });
    const b = await t.forecast({ team: 'payments', items: 40, seed: 42 });
    expect(a).toEqual(b);
    expect(a.status).toBe('ok');
    expect(a.percentiles.map((p) => p.p)).toEqual([50, 70, 85, 95]);
    const days = a.percentiles.map((p) => p.days!);
    expect([...days].sort((x, y) => x - y)).toEqual(days);
    // 40 items at 2 a day: about 20 days.
    expect(days[0]).toBeGreaterThanOrEqual(16);
    expect(days[0]).toBeLessThanOrEqual(24);
    expect(a.backtest!.text).toMatch(/^85 % ranges held \d+ of \d+ times here/);
    // The days column counts from today to the date.
    for (const p of a.percentiles) expect(Date.parse(`${p.date!}T00:00:00Z`) - Date.parse('2026-11-20T00:00:00Z')).toBe(p.days! * DAY);
    const until = await t.forecast({ team: 'payments', until: '2026-12-20', seed: 1 });
    const items = until.percentiles.map((p) => p.items!);
    expect([...items].sort((x, y) => y - x)).toEqual(items);
  });

  it('forecasts later completion and fewer items when people are away', async () => {
    const items = history(120, 2, 11);
    const without = await open(items);
    const before = await without.forecast({ team: 'payments', items: 30, seed: 3 });
    const beforeUntil = await without.forecast({ team: 'payments', until: '2026-12-15', seed: 3 });
    await without.close();
    const away = await open(items, {
      absences: [
        { person: 'ana', from: '2026-11-20', to: '2026-12-31' },
        { person: 'ben', from: '2026-11-23', to: '2026-12-11' },
      ],
    });
    const after = await away.forecast({ team: 'payments', items: 30, seed: 3 });
    const afterUntil = await away.forecast({ team: 'payments', until: '2026-12-15', seed: 3 });
    expect(after.absentDays).toBeGreaterThan(0);
    for (const [i, p] of after.percentiles.entries()) expect(p.days!).toBeGreaterThan(before.percentiles[i]!.days!);
    for (const [i, p] of afterUntil.percentiles.entries()) expect(p.items!).toBeLessThan(beforeUntil.percentiles[i]!.items!);
  });

  it('draws from the last 12 weeks and runs 10,000 simulations by default', async () => {
    const t = await open(history(200, 2, 7));
    const forecast = await t.forecast({ team: 'payments', items: 20 });
    expect(forecast).toMatchObject({ simulations: 10_000, seed: 1, basis: { weeks: 12, counted: 'issues', to: '2026-11-20' } });
    expect(forecast.basis.from).toBe('2026-08-28');
    const weeks = await t.forecast({ team: 'payments', items: 20, weeks: 4 });
    expect(weeks.basis).toMatchObject({ weeks: 4, from: '2026-10-23' });
  });

  it('reads only what was done before now: work done later today or ahead changes nothing', async () => {
    const items = history(120, 2, 13);
    const t = await open(items);
    const before = await t.forecast({ team: 'payments', items: 30, seed: 4 });
    const later = (key: string, resolvedAt: string): WorkItem => ({ ...items[0]!, id: key, key, resolvedAt });
    await t.import({
      format: 'teamstate.bundle/v1',
      workItems: [
        later('PAY-9001', '2026-11-20T13:00:00Z'),
        later('PAY-9002', '2026-11-21T09:00:00Z'),
        later('PAY-9003', '2026-12-01T09:00:00Z'),
      ],
    });
    expect(await t.forecast({ team: 'payments', items: 30, seed: 4 })).toEqual(before);
  });

  it("counts a team's tracker issues, never its pull requests too, and merged pull requests for a team without a tracker", async () => {
    const items = history(120, 2, 17);
    const t = await open(items, {
      teams: [
        { id: 'payments', name: 'Payments' },
        { id: 'web', name: 'Web' },
      ],
    });
    const issuesOnly = await t.forecast({ team: 'payments', items: 30, seed: 2 });
    // The same work merged as pull requests: the team's throughput stays its issues'.
    const prs = items.map(
      (item, i): WorkItem => ({
        id: `pr-${i}`,
        source: 'github',
        kind: 'pull_request',
        key: `acme/api#${i}`,
        title: item.title,
        state: 'merged',
        team: 'payments',
        createdAt: item.createdAt,
        mergedAt: item.resolvedAt!,
      }),
    );
    await t.import({
      format: 'teamstate.bundle/v1',
      workItems: [...prs, ...prs.map((pr) => ({ ...pr, id: `web-${pr.id}`, key: `acme/web#${pr.key}`, team: 'web' }))],
    });
    expect(await t.forecast({ team: 'payments', items: 30, seed: 2 })).toEqual(issuesOnly);
    const web = await t.forecast({ team: 'web', items: 30, seed: 2 });
    expect(web.basis).toMatchObject({ counted: 'pull_requests', items: issuesOnly.basis.items });
    expect(web.percentiles).toEqual(issuesOnly.percentiles);
  });

  it('counts an item done without a resolution on the day it was closed', async () => {
    const items = history(120, 2, 23);
    const resolved = await open(items);
    const expected = await resolved.forecast({ team: 'payments', items: 30, seed: 6 });
    await resolved.close();
    const closed = await open(items.map((item, i) => (i % 2 === 0 ? { ...item, resolvedAt: undefined, closedAt: item.resolvedAt } : item)));
    expect(await closed.forecast({ team: 'payments', items: 30, seed: 6 })).toEqual(expected);
  });

  it('counts both days of an absence inclusively', async () => {
    const t = await open(history(120, 2, 19), { absences: [{ person: 'ana', from: '2026-11-23', to: '2026-11-24' }] });
    expect((await t.forecast({ team: 'payments', items: 60, seed: 1 })).absentDays).toBe(2);
  });

  it('forecasts an epic by its items that are not done', async () => {
    const items = history(90, 2, 5);
    const epic: WorkItem = {
      ...items[0]!,
      id: 'EPIC-1',
      key: 'EPIC-1',
      kind: 'epic',
      statusCategory: 'in_progress',
      resolvedAt: undefined,
    };
    const children = Array.from(
      { length: 12 },
      (_, i): WorkItem => ({
        ...items[0]!,
        id: `C-${i}`,
        key: `C-${i}`,
        statusCategory: i < 2 ? 'done' : 'todo',
        state: i < 2 ? 'Done' : 'To Do',
        parent: 'EPIC-1',
        resolvedAt: i < 2 ? items[0]!.resolvedAt : undefined,
      }),
    );
    const t = await open([...items, epic, ...children]);
    const forecast = await t.forecast({ team: 'payments', epic: 'EPIC-1', seed: 9 });
    expect(forecast.target).toEqual({ items: 10, epic: 'EPIC-1' });
    expect(forecast.percentiles).toEqual((await t.forecast({ team: 'payments', items: 10, seed: 9 })).percentiles);
  });

  it('says the history is too short or too irregular instead of forecasting', async () => {
    const t = await open(history(10, 2, 3));
    const short = await t.forecast({ team: 'payments', items: 10 });
    expect(short.status).toBe('insufficient_history');
    expect(short.reason).toMatch(/too short a history/);
    expect(short.percentiles).toEqual([]);
    await t.close();
    // Busy one week in four: most weeks nothing is done.
    const bursty = history(84, 2, 4).filter((item) => Math.floor((NOW.getTime() - Date.parse(item.resolvedAt!)) / (7 * DAY)) % 4 === 0);
    const u = await open(bursty);
    const irregular = await u.forecast({ team: 'payments', items: 10 });
    expect(irregular.status).toBe('insufficient_history');
    expect(irregular.reason).toMatch(/too irregular/);
  });

  it('refuses bad input naming the field, and leaves the store as it was', async () => {
    const items = history(60, 2, 2);
    const epic: WorkItem = { ...items[0]!, id: 'EPIC-9', key: 'EPIC-9', kind: 'epic', statusCategory: 'todo', resolvedAt: undefined };
    const t = await open([...items, epic]);
    const before = await t.export();
    await expect(t.forecast({ team: 'paymnets', items: 5 })).rejects.toThrow(
      /^team: unknown team "paymnets" \(did you mean "payments"\?\)/,
    );
    await expect(t.forecast({ team: 'payments', items: 5, weeks: 0 })).rejects.toThrow(
      /^weeks: expected a whole number of weeks from 1 to 104, got 0/,
    );
    await expect(t.forecast({ team: 'payments', epic: 'EPIC-9' })).rejects.toThrow(/^epic: EPIC-9 has no items/);
    await expect(t.forecast({ team: 'payments', epic: 'NOPE-1' })).rejects.toThrow(/^epic: no epic "NOPE-1"/);
    await expect(t.forecast({ team: 'payments', until: '2026-01-01' })).rejects.toThrow(
      /^until: 2026-01-01 is in the past; give a date after 2026-11-20/,
    );
    await expect(t.forecast({ team: 'payments', items: 5, weeks: 105 })).rejects.toThrow(/^weeks: expected a whole number/);
    await expect(t.forecast({ team: 'payments', items: 5, simulations: 10 })).rejects.toThrow(/^simulations: expected a whole number/);
    await expect(t.forecast({ team: 'payments', items: 0 })).rejects.toThrow(/^items: /);
    await expect(t.forecast({ team: 'payments' })).rejects.toThrow(/^items: give one of items/);
    await expect(t.forecast({ team: 'payments', items: 3, until: '2027-01-01' })).rejects.toThrow(/^until: give only one of/);
    await expect(t.forecast.backtest({ team: 'payments', horizons: [0] })).rejects.toThrow(/^horizons\[0\]: expected a whole number/);
    expect(await t.export()).toEqual(before);
  });
});

describe('ts.forecast.backtest() calibration', () => {
  it('backtests a forecast over at least 20 windows that hold 75-95 %, and on a short history says calibration is unknown', async () => {
    // Forecasts on three generated histories, each backtested beside it over at least 20 windows.
    let [held, windows] = [0, 0];
    for (const seed of [11, 12, 13]) {
      const t = await open(history(400, 3, seed));
      for (const items of [20, 60]) {
        const { backtest } = await t.forecast({ team: 'payments', items, seed });
        expect(backtest!.calibrated).toBe(true);
        expect(backtest!.windows).toBeGreaterThanOrEqual(20);
        expect(backtest!.text).toBe(
          `85 % ranges held ${backtest!.held} of ${backtest!.windows} times here (${backtest!.horizon}-week horizon)`,
        );
        [held, windows] = [held + backtest!.held, windows + backtest!.windows];
      }
      await t.close();
    }
    console.info(`forecast backtests: 85 % ranges held ${held} of ${windows}`);
    expect(held / windows).toBeGreaterThanOrEqual(0.75);
    expect(held / windows).toBeLessThanOrEqual(0.95);
    const short = await open(history(120, 3, 11));
    const forecast = await short.forecast({ team: 'payments', items: 60, seed: 3 });
    expect(forecast.backtest!.calibrated).toBe(false);
    expect(forecast.backtest!.windows).toBeLessThan(20);
    expect(forecast.backtest!.text).toMatch(/^calibration unknown \(\d+ windows\)/);
  });

  it('holds the actual outcome in its 85 % range 75-95 % of 200 backtests on a known Poisson process', async () => {
    // Two years of a Poisson process of 3 items a day; 100 weekly windows for each of two horizons.
    const t = await open(history(2 * 7 * 12 + 7 * 104, 3, 2026));
    const results = await t.forecast.backtest({ team: 'payments', horizons: [1, 2], windows: 100, seed: 5 });
    const runs = results.reduce((sum, r) => sum + r.windows, 0);
    const held = results.reduce((sum, r) => sum + r.held, 0);
    expect(runs).toBe(200);
    const share = held / runs;
    // The median's error, reported: mean absolute items and relative to the actual count.
    console.info(
      `calibration: 85 % ranges held ${held} of ${runs} (${(share * 100).toFixed(1)} %); median error ${results
        .map((r) => `${r.horizon}w: ${r.medianError.items} items (${((r.medianError.relative ?? 0) * 100).toFixed(1)} %)`)
        .join(', ')}`,
    );
    expect(share).toBeGreaterThanOrEqual(0.75);
    expect(share).toBeLessThanOrEqual(0.95);
    for (const r of results) expect(r.medianError.relative!).toBeLessThan(0.35);
  });
});
