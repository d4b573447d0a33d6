import { demo } from '@teamstate/connectors/demo';
import { createTeamState, type TeamState } from '@teamstate/core';
import { builtinMetrics, builtinSignals } from '@teamstate/metrics';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, callError, connect } from './fixtures/connect.js';

const NOW = new Date('2026-11-23T09:30:00Z');
let ts: TeamState;
let server: Awaited<ReturnType<typeof connect>>;

beforeAll(async () => {
  ts = await createTeamState({
    database: ':memory:',
    connectors: [demo()],
    metrics: builtinMetrics,
    signals: builtinSignals,
    clock: () => NOW,
  });
  await ts.sync();
  server = await connect(ts);
});
afterAll(async () => {
  await server.close();
  await ts.close();
});

describe('get_metrics', () => {
  it('computes the DORA and flow set over the last 30 days, the SDK values rounded (hours 2 decimals, ratios 4)', async () => {
    const { metrics } = await call<{ metrics: Record<string, { value: number | null; unit: string }> }>(server.client, 'get_metrics', {
      team: 'payments',
    });
    expect(Object.keys(metrics)).toEqual(
      expect.arrayContaining(['deployment_frequency', 'lead_time_for_changes', 'change_failure_rate', 'pr_cycle_time', 'wip']),
    );
    expect(Object.keys(metrics)).not.toContain('velocity');
    const sdk = await ts.metrics.compute(Object.keys(metrics), {
      from: '2026-10-24T09:30:00.000Z',
      to: NOW.toISOString(),
      team: 'payments',
    });
    expect(Object.keys(metrics).sort()).toEqual(Object.keys(sdk).sort());
    for (const [id, result] of Object.entries(metrics)) {
      const exact = sdk[id]!;
      const places = exact.unit === 'hours' ? 2 : exact.unit === 'ratio' ? 4 : undefined;
      expect(result.unit, id).toBe(exact.unit);
      expect(result.value, id).toBe(exact.value === null || places === undefined ? exact.value : Number(exact.value.toFixed(places)));
    }
  });

  it('takes ids and a window', async () => {
    const { metrics } = await call<{ metrics: Record<string, { value: number | null }> }>(server.client, 'get_metrics', {
      ids: ['velocity', 'sprint_completion'],
      from: '2026-08-01T00:00:00Z',
      to: '2026-11-01T00:00:00Z',
    });
    expect(Object.keys(metrics).sort()).toEqual(['sprint_completion', 'velocity']);
    expect(metrics.velocity!.value).toBeGreaterThan(0);
  });

  it('answers "are we improving?" in one call: the weekly series and the previous window with deltas and trends', async () => {
    type Answer = {
      value: number | null;
      series: { from: string; to: string; value: number | null }[];
      previous: { from: string; to: string; value: number | null };
      delta: number | null;
      trend?: string;
    };
    const window = { from: '2026-10-26T00:00:00Z', to: '2026-11-23T00:00:00Z' };
    const { metrics } = await call<{ metrics: Record<string, Answer> }>(server.client, 'get_metrics', {
      ids: ['throughput', 'pr_cycle_time', 'wip'],
      team: 'payments',
      ...window,
      granularity: 'week',
      compare: 'previous',
    });
    const sdk = await ts.metrics.compute(['throughput', 'pr_cycle_time'], {
      ...window,
      team: 'payments',
      granularity: 'week',
      compare: 'previous',
    });
    const throughput = metrics.throughput!;
    expect(throughput.series.map((point) => point.from)).toEqual([
      '2026-10-26T00:00:00.000Z',
      '2026-11-02T00:00:00.000Z',
      '2026-11-09T00:00:00.000Z',
      '2026-11-16T00:00:00.000Z',
    ]);
    expect(throughput.series.map((point) => point.value)).toEqual(
      (sdk.throughput!.series as { value: number | null }[]).map((p) => p.value),
    );
    expect(throughput.previous).toMatchObject({
      from: '2026-09-28T00:00:00.000Z',
      to: '2026-10-26T00:00:00.000Z',
      value: (sdk.throughput!.previous as { value: number | null }).value,
    });
    expect(throughput.delta).toBe((throughput.value ?? Number.NaN) - (throughput.previous.value ?? Number.NaN));
    expect(throughput.trend).toBe(throughput.delta! > 0 ? 'improving' : throughput.delta! < 0 ? 'worsening' : 'unchanged');
    // Hours are rounded in the comparison too; wip has no "better" direction, so no trend.
    const exact = sdk.pr_cycle_time as unknown as { previous: { value: number }; delta: number };
    const twoPlaces = (n: number) => Number(n.toFixed(2));
    expect(metrics.pr_cycle_time!.previous.value).toBe(twoPlaces(exact.previous.value));
    expect(metrics.pr_cycle_time!.delta).toBe(twoPlaces(exact.delta));
    expect(metrics.wip!.trend).toBeUndefined();
    expect(await callError(server.client, 'get_metrics', { granularity: 'day' })).toMatch(/^granularity: /);
    expect(await callError(server.client, 'get_metrics', { compare: 'last_year' })).toMatch(/^compare: /);
  });

  it('names the argument of bad input', async () => {
    expect(await callError(server.client, 'get_metrics', { ids: ['lead_time'] })).toMatch(/ids\[0\]: unknown metric "lead_time"/);
    expect(await callError(server.client, 'get_metrics', { from: 'last week' })).toMatch(/^from: expected an ISO 8601 timestamp/);
    expect(await callError(server.client, 'get_metrics', { from: '2026-11-20T00:00:00Z', to: '2026-11-01T00:00:00Z' })).toMatch(
      /^from: must be before to/,
    );
    expect(await callError(server.client, 'get_metrics', { team: 'nope' })).toMatch(/^team: /);
  });
});

describe('signal tools', () => {
  it('list_signals refreshes and lists what needs attention, filtered', async () => {
    const { signals, open } = await call<{ signals: { kind: string; team?: string; severity: string }[]; open: number }>(
      server.client,
      'list_signals',
      { team: 'payments' },
    );
    expect(open).toBeGreaterThan(signals.length - 1);
    expect(new Set(signals.map((s) => s.team))).toEqual(new Set(['payments']));
    expect(signals.map((s) => s.kind)).toContain('item.blocked');
    expect(await callError(server.client, 'list_signals', { severity: 'loud' })).toMatch(
      /^severity: expected one of info\|warning\|critical/,
    );
    expect(await callError(server.client, 'list_signals', { limit: 1000 })).toMatch(
      /^limit: expected a whole number from 1 to 200, got 1000/,
    );
    // Unknown teams and kinds are errors with a suggestion, never an empty list (issue 17).
    expect(await callError(server.client, 'list_signals', { kind: 'pr.stal' })).toMatch(
      /^kind: unknown kind "pr\.stal" \(did you mean "pr\.stale"\?\)/,
    );
    expect(await callError(server.client, 'list_signals', { team: 'paymnets' })).toMatch(
      /^team: unknown team "paymnets" \(did you mean "payments"\?\)/,
    );
  });

  it('standup_digest, sprint_health and pr_review_queue return the digest and its text', async () => {
    const standup = await call<{ text: string; people: unknown[] }>(server.client, 'standup_digest', { team: 'payments' });
    expect(standup.text.split('\n')[0]).toBe('Standup for Payments, since Fri 20 Nov 09:30 UTC');
    expect(standup.people).toHaveLength(7);
    const sprint = await call<{ text: string; burn: { status: string }; sprint: { id: string } }>(server.client, 'sprint_health', {
      team: 'growth',
    });
    expect(sprint.text).toMatch(/^Growth Sprint \d+: /);
    // A sprint of another team is refused, not answered for that other team (issue 17).
    expect(await callError(server.client, 'sprint_health', { team: 'payments', sprint: sprint.sprint.id })).toBe(
      `sprint: "${sprint.sprint.id}" is a sprint of team "growth", not of "payments" (give one of them, or matching ones)`,
    );
    expect(
      (await call<{ sprint: { id: string } }>(server.client, 'sprint_health', { team: 'growth', sprint: sprint.sprint.id })).sprint.id,
    ).toBe(sprint.sprint.id);
    const queue = await call<{ pullRequests: { key: string }[]; text: string }>(server.client, 'pr_review_queue', { team: 'platform' });
    expect(queue.text).toMatch(/^Review queue for Platform: \d+ pull requests? waiting/);
    expect(await callError(server.client, 'standup_digest', { team: 'nope' })).toMatch(/team: "nope" is not a team of this workspace/);
    expect(await callError(server.client, 'sprint_health', {})).toMatch(/team or sprint/);
  });
});
