import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { TeamStateError } from '../src/kernel/errors.js';
import { COMPUTED_AT_ONCE } from '../src/services/metrics/create-metrics.js';
import { weeklyBuckets } from '../src/services/metrics/metric-query.js';
import type { MetricCalculator } from '../src/spec/metric-calculator.js';
import { createTeamState } from '../src/team-state.js';
import { openIncidents } from './fixtures/open-incidents-metric.js';

const window = { from: '2026-03-01T00:00:00Z', to: '2026-04-01T00:00:00Z' };

async function open(metrics: MetricCalculator[] = [openIncidents], metricSettings = {}) {
  const ts = await createTeamState({ database: ':memory:', metrics, metricSettings });
  await ts.import({
    format: 'teamstate.bundle/v1',
    teams: [{ id: 'payments', name: 'Payments' }],
    people: [{ id: 'ana', name: 'Ana' }],
    repositories: [{ id: 'acme/api', team: 'payments' }],
    incidents: [
      { id: 'i1', title: 'down', createdAt: '2026-03-03T10:00:00+02:00' },
      { id: 'i2', title: 'slow', createdAt: '2026-03-04T00:00:00Z', resolvedAt: '2026-03-05T00:00:00Z' },
    ],
  });
  return ts;
}

async function failure(promise: Promise<unknown>): Promise<TeamStateError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!TeamStateError.isInstance(error)) throw new Error(`expected a TeamStateError, got ${String(error)}`);
  return error;
}

describe('ts.metrics', () => {
  it('lists, computes and explains a custom calculator registered by the app', async () => {
    const ts = await open();
    expect(ts.metrics.list()).toEqual([
      { id: 'open_incidents', title: 'Open incidents', unit: 'count', category: 'custom', description: openIncidents.description },
    ]);
    expect(await ts.metrics.compute(['open_incidents'], window)).toEqual({
      open_incidents: { value: 1, unit: 'count' },
    });
    const explanation = await ts.metrics.explain('open_incidents', {
      from: new Date('2026-03-01T00:00:00Z'),
      to: new Date('2026-03-04T00:00:00Z'),
    });
    expect(explanation).toMatchObject({
      id: 'open_incidents',
      from: '2026-03-01T00:00:00.000Z',
      to: '2026-03-04T00:00:00.000Z',
      result: { value: 1 },
      rows: [{ incident: 'i1' }],
      warnings: [],
    });
  });

  it('passes the metric settings to calculators, with defaults', async () => {
    const settingsProbe: MetricCalculator = {
      ...openIncidents,
      id: 'settings_probe',
      compute: async (_, q) => ({ value: null, unit: 'count', settings: q.settings }),
    };
    const defaults = await open([settingsProbe]);
    expect((await defaults.metrics.compute(['settings_probe'], window)).settings_probe?.settings).toEqual({
      productionEnvironments: ['production', 'prod'],
      reworkLabels: ['hotfix', 'revert', 'incident'],
      waitingStatuses: ['Blocked', 'On Hold', 'Waiting'],
      doraBenchmarks: '2023',
    });
    const configured = await open([settingsProbe], { productionEnvironments: ['live'] });
    expect((await configured.metrics.compute(['settings_probe'], window)).settings_probe?.settings).toMatchObject({
      productionEnvironments: ['live'],
    });
  });

  it('adds a weekly series computed per bucket', async () => {
    const ts = await open();
    const { open_incidents: result } = await ts.metrics.compute(['open_incidents'], {
      from: '2026-03-02T00:00:00Z',
      to: '2026-03-16T00:00:00Z',
      granularity: 'week',
    });
    expect(result?.series).toEqual([
      {
        from: '2026-03-02T00:00:00.000Z',
        to: '2026-03-09T00:00:00.000Z',
        value: 1,
        unit: 'count',
      },
      {
        from: '2026-03-09T00:00:00.000Z',
        to: '2026-03-16T00:00:00.000Z',
        value: 1,
        unit: 'count',
      },
    ]);
  });

  it('compares with the previous window of the same length: its result, the delta and, when the metric says which way is better, the trend', async () => {
    const fewerIsBetter: MetricCalculator = { ...openIncidents, id: 'open_incidents_lower', better: 'lower' };
    const ts = await open([openIncidents, fewerIsBetter]);
    const results = await ts.metrics.compute(['open_incidents', 'open_incidents_lower'], {
      from: '2026-03-04T12:00:00Z',
      to: '2026-03-06T12:00:00Z',
      compare: 'previous',
    });
    expect(results.open_incidents).toEqual({
      value: 1,
      unit: 'count',
      previous: { from: '2026-03-02T12:00:00.000Z', to: '2026-03-04T12:00:00.000Z', value: 2, unit: 'count' },
      delta: -1,
    });
    expect(results.open_incidents_lower).toMatchObject({ value: 1, delta: -1, trend: 'improving' });
    // Nothing to compare with: no delta, no trend.
    const empty = await ts.metrics.compute(['open_incidents_lower'], {
      from: '2026-03-02T00:00:00Z',
      to: '2026-03-03T00:00:00Z',
      compare: 'previous',
    });
    expect(empty.open_incidents_lower).toEqual({
      value: null,
      unit: 'count',
      previous: { from: '2026-03-01T00:00:00.000Z', to: '2026-03-02T00:00:00.000Z', value: null, unit: 'count' },
      delta: null,
    });
    expect((await failure(ts.metrics.compute(['open_incidents'], { ...window, compare: 'last-year' as 'previous' }))).message).toBe(
      'compare: expected "previous", got "last-year"',
    );
  });

  it('rejects an unknown metric id, listing the valid ids with a suggestion', async () => {
    const ts = await open();
    const error = await failure(ts.metrics.compute(['open_incident'], window));
    expect(error.code).toBe('invalid_argument');
    expect(error.message).toBe('ids[0]: unknown metric "open_incident" (did you mean "open_incidents"?); valid ids: open_incidents');
    expect((await failure(ts.metrics.explain('nope', window))).message).toMatch(/^id: unknown metric "nope"; valid ids: open_incidents$/);
    expect((await failure(ts.metrics.compute([], window))).message).toMatch(/^ids: expected a non-empty list/);
  });

  it('says how to register the built-in metrics when none are registered', async () => {
    const ts = await createTeamState({ database: ':memory:' });
    const fix = 'no metrics are registered: pass `metrics: builtinMetrics` from @teamstate/metrics to createTeamState()';
    const error = await failure(ts.metrics.compute());
    expect(error.code).toBe('invalid_argument');
    expect(error.message).toBe(`ids: ${fix}`);
    expect((await failure(ts.metrics.compute(['deployment_frequency'], window))).message).toBe(
      `ids[0]: unknown metric "deployment_frequency"; ${fix}`,
    );
    expect((await failure(ts.metrics.explain('lead_time', window))).message).toBe(`id: unknown metric "lead_time"; ${fix}`);
    await ts.close();
  });

  it('rejects malformed dates, an empty or reversed window and a bad granularity, naming the argument', async () => {
    const ts = await open();
    const message = async (query: object) => (await failure(ts.metrics.compute(['open_incidents'], query as typeof window))).message;
    expect(await message({ from: '2026-13-01', to: window.to })).toMatch(/^from: invalid ISO timestamp "2026-13-01"/);
    expect(await message({ from: window.from, to: 'yesterday' })).toMatch(/^to: invalid ISO timestamp "yesterday"/);
    expect(await message({ from: window.from, to: 42 })).toMatch(/^to: expected an ISO 8601 timestamp/);
    expect(await message({ from: window.from, to: window.from })).toMatch(/^from: must be before to/);
    expect(await message({ from: window.to, to: window.from })).toMatch(/^from: must be before to/);
    expect(await message({ ...window, granularity: 'month' })).toBe('granularity: expected "week", got "month"');
    expect(await message({ from: '2026-02-30', to: window.to })).toMatch(/^from: invalid ISO timestamp "2026-02-30"/);
  });

  it("reads a bare date as that day's start in UTC", async () => {
    const ts = await open();
    const explanation = await ts.metrics.explain('open_incidents', { from: '2026-03-01', to: '2026-03-04' });
    expect([explanation.from, explanation.to]).toEqual(['2026-03-01T00:00:00.000Z', '2026-03-04T00:00:00.000Z']);
  });

  it('rejects an unknown team, repository or person with a suggestion', async () => {
    const ts = await open();
    const error = await failure(ts.metrics.compute(['open_incidents'], { ...window, team: 'payment' }));
    expect(error.code).toBe('invalid_argument');
    expect(error.message).toBe('team: unknown team "payment" (did you mean "payments"?); known: payments');
    expect((await failure(ts.metrics.compute(['open_incidents'], { ...window, repository: 'acme/apx' }))).message).toMatch(
      /^repository: unknown repository "acme\/apx" \(did you mean "acme\/api"\?\)/,
    );
    expect((await failure(ts.metrics.compute(['open_incidents'], { ...window, person: 'zed' }))).message).toMatch(
      /^person: unknown person "zed"/,
    );
  });

  it('refuses invalid calculators and settings when the facade is created', async () => {
    const create = (options: Parameters<typeof createTeamState>[0]) => failure(createTeamState({ database: ':memory:', ...options }));
    expect((await create({ metrics: [openIncidents, openIncidents] })).message).toBe('metrics: two metrics have the id "open_incidents"');
    expect((await create({ metrics: [{ ...openIncidents, specificationVersion: 'v0' as 'v1' }] })).message).toMatch(/expected "v1"/);
    expect((await create({ metrics: [{ ...openIncidents, id: 'Open Incidents' }] })).message).toMatch(/must be snake_case/);
    expect((await create({ metrics: [{ ...openIncidents, reads: ['pull_requests' as 'deployment_rework'] }] })).message).toMatch(
      /^metrics: "open_incidents"\.reads\[0\]: "pull_requests" is not a derived table; /,
    );
    const settings = await create({ metricSettings: { doraBenchmarks: '2019' as '2023' } });
    expect(settings.code).toBe('invalid_config');
    expect(settings.message).toBe('metricSettings.doraBenchmarks: expected "2023" or "2021", got "2019"');
    expect((await create({ metricSettings: { waitingStatuses: ['Blocked', ''] } })).message).toBe(
      'metricSettings.waitingStatuses[1]: expected a non-empty string, got ""',
    );
  });
});

describe('ts.metrics results per data version', () => {
  /** open_incidents, counting how often it is computed. */
  function counted() {
    const calls: string[] = [];
    const metric: MetricCalculator = {
      ...openIncidents,
      async compute(db, query) {
        calls.push(query.team ?? '*');
        return openIncidents.compute(db, query);
      },
    };
    return { metric, calls };
  }

  it('answers the same query again from the last result until the data changes, and at once to identical calls', async () => {
    const { metric, calls } = counted();
    const ts = await open([metric]);
    const first = await ts.metrics.compute(['open_incidents'], window);
    expect(first).toEqual({ open_incidents: { value: 1, unit: 'count' } });
    // Mutating an answer changes no later answer.
    first.open_incidents!.value = 99;
    expect(await ts.metrics.compute(['open_incidents'], window)).toEqual({ open_incidents: { value: 1, unit: 'count' } });
    const together = await Promise.all([1, 2, 3].map(() => ts.metrics.compute(['open_incidents'], { ...window, team: 'payments' })));
    expect(together.map((result) => result.open_incidents?.value)).toEqual([1, 1, 1]);
    expect(calls).toEqual(['*', 'payments']);
    await ts.import({ format: 'teamstate.bundle/v1', incidents: [{ id: 'i3', title: 'again', createdAt: '2026-03-20T00:00:00Z' }] });
    expect((await ts.metrics.compute(['open_incidents'], window)).open_incidents?.value).toBe(2);
    expect(calls).toEqual(['*', 'payments', '*']);
    await ts.close();
  });

  it('hands every caller its own copy of a result, nested details and values of other kinds included', async () => {
    const detailed: MetricCalculator = {
      ...openIncidents,
      async compute() {
        const parsed = JSON.parse('{"__proto__": {"polluted": true}}') as Record<string, unknown>;
        return {
          value: 1,
          unit: 'count',
          oldest: [{ key: 'A-1', ageHours: 2 }],
          breakdown: { open: { count: 1 } },
          since: new Date(0),
          parsed,
        };
      },
    };
    const ts = await open([detailed]);
    const expected = {
      open_incidents: {
        value: 1,
        unit: 'count',
        oldest: [{ key: 'A-1', ageHours: 2 }],
        breakdown: { open: { count: 1 } },
        since: new Date(0),
        parsed: JSON.parse('{"__proto__": {"polluted": true}}') as Record<string, unknown>,
      },
    };
    const first = (await ts.metrics.compute(['open_incidents'], window)) as unknown as typeof expected;
    first.open_incidents.oldest[0]!.key = 'changed';
    first.open_incidents.oldest.push({ key: 'B-2', ageHours: 1 });
    first.open_incidents.breakdown.open.count = 99;
    first.open_incidents.since.setTime(1);
    const again = await ts.metrics.compute(['open_incidents'], window);
    expect(again).toEqual(expected);
    expect((again as unknown as typeof expected).open_incidents.since).toBeInstanceOf(Date);
    // A key named __proto__ stays a key: it neither sets the copy's prototype nor disappears.
    const parsed = (again as unknown as typeof expected).open_incidents.parsed;
    expect(Object.keys(parsed)).toEqual(['__proto__']);
    expect(Object.getPrototypeOf(parsed)).toBe(Object.prototype);
    await ts.close();
  });

  it('computes at most COMPUTED_AT_ONCE queries at once, while a query answered from its last result waits for none', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    let blocking = false;
    const started: number[] = [];
    const slow: MetricCalculator = {
      ...openIncidents,
      async compute(db, query) {
        if (blocking) {
          started.push(query.to);
          await gate;
        }
        return openIncidents.compute(db, query);
      },
    };
    const ts = await open([slow]);
    await ts.metrics.compute(['open_incidents'], window);
    blocking = true;
    // Two more queries than computed at once, each to a day of its own.
    const days = Array.from({ length: COMPUTED_AT_ONCE + 2 }, (_, i) => new Date(Date.UTC(2026, 3, 2 + i)).toISOString());
    const waiting = days.map((to) => ts.metrics.compute(['open_incidents'], { from: window.from, to }));
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(started).toHaveLength(COMPUTED_AT_ONCE);
    expect(await ts.metrics.compute(['open_incidents'], window)).toEqual({ open_incidents: { value: 1, unit: 'count' } });
    release();
    expect((await Promise.all(waiting)).map((result) => result.open_incidents?.unit)).toEqual(days.map(() => 'count'));
    expect(started).toHaveLength(days.length);
    await ts.close();
  });

  it('sees another process’s commit to the same file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'teamstate-metric-versions-'));
    try {
      const database = `file:${join(dir, 'team.db')}`;
      const { metric, calls } = counted();
      const ts = await createTeamState({ database, metrics: [metric] });
      await ts.import({ format: 'teamstate.bundle/v1', incidents: [{ id: 'i1', title: 'down', createdAt: '2026-03-03T10:00:00Z' }] });
      expect((await ts.metrics.compute(['open_incidents'], window)).open_incidents?.value).toBe(1);
      expect((await ts.metrics.compute(['open_incidents'], window)).open_incidents?.value).toBe(1);
      expect(calls).toHaveLength(1);
      const other = await createTeamState({ database });
      await other.import({ format: 'teamstate.bundle/v1', incidents: [{ id: 'i2', title: 'slow', createdAt: '2026-03-04T00:00:00Z' }] });
      await other.close();
      expect((await ts.metrics.compute(['open_incidents'], window)).open_incidents?.value).toBe(2);
      await ts.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('weeklyBuckets', () => {
  it('splits a window into Monday-aligned UTC weeks, clipping the ends', () => {
    const ms = (iso: string) => Date.parse(iso);
    expect(weeklyBuckets(ms('2026-03-04T12:00:00Z'), ms('2026-03-17T00:00:00Z'))).toEqual([
      [ms('2026-03-04T12:00:00Z'), ms('2026-03-09T00:00:00Z')],
      [ms('2026-03-09T00:00:00Z'), ms('2026-03-16T00:00:00Z')],
      [ms('2026-03-16T00:00:00Z'), ms('2026-03-17T00:00:00Z')],
    ]);
    expect(weeklyBuckets(ms('2026-03-09T00:00:00Z'), ms('2026-03-16T00:00:00Z'))).toEqual([
      [ms('2026-03-09T00:00:00Z'), ms('2026-03-16T00:00:00Z')],
    ]);
  });
});
