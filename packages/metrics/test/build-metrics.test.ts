import type { Build, BuildInput } from '@teamstate/core';
import { describe, expect, it } from 'vitest';
import { at, MARCH, metric, open, pullRequest } from './fixtures.js';

// build_duration and build_success_rate (issue 54) against a direct computation over a generated CI history.

/** A build of `acme/api` (override anything). */
function build(id: string, fields: Partial<BuildInput> = {}): BuildInput {
  return {
    id,
    repository: 'acme/api',
    workflow: 'CI',
    job: 'test',
    commit: `sha-${id}`,
    status: 'completed',
    conclusion: 'success',
    startedAt: at(2),
    completedAt: at(2, 0.5),
    attempt: 1,
    ...fields,
  };
}

/** numpy's default percentile (linear interpolation between closest ranks). */
function percentile(values: number[], p: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const position = (sorted.length - 1) * p;
  const lo = Math.floor(position);
  const fraction = position - lo;
  return fraction === 0 ? sorted[lo]! : sorted[lo]! + (sorted[lo + 1]! - sorted[lo]!) * fraction;
}

const inWindow = (b: Build | BuildInput, from: string, to: string) =>
  b.completedAt !== undefined && Date.parse(b.completedAt) >= Date.parse(from) && Date.parse(b.completedAt) < Date.parse(to);

function truthDuration(builds: BuildInput[], from: string, to: string) {
  const hours = builds
    .filter((b) => inWindow(b, from, to) && b.startedAt && !['cancelled', 'skipped', 'error'].includes(b.conclusion ?? ''))
    .map((b) => (Date.parse(b.completedAt!) - Date.parse(b.startedAt!)) / 3_600_000);
  return { p50: percentile(hours, 0.5), p90: percentile(hours, 0.9), count: hours.length };
}

function truthSuccess(builds: BuildInput[], from: string, to: string) {
  const decided = builds.filter((b) => inWindow(b, from, to) && ['success', 'failure', 'timed_out', 'error'].includes(b.conclusion ?? ''));
  return decided.length === 0 ? null : decided.filter((b) => b.conclusion === 'success').length / decided.length;
}

/** A deterministic CI history: 300 builds over Feb-April in two repositories with every conclusion. */
function history(): BuildInput[] {
  let seed = 54;
  const random = () => {
    seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
    return seed / 2 ** 31;
  };
  const conclusions = ['success', 'success', 'success', 'failure', 'timed_out', 'cancelled', 'skipped', 'neutral', 'error'] as const;
  return Array.from({ length: 300 }, (_, i) => {
    const start = Date.parse('2026-02-20T00:00:00Z') + Math.floor(random() * 50 * 86_400_000);
    const minutes = 1 + Math.floor(random() * 90);
    const running = random() < 0.05;
    const conclusion = conclusions[Math.floor(random() * conclusions.length)]!;
    return build(`b${i}`, {
      repository: random() < 0.6 ? 'acme/api' : 'acme/web',
      job: random() < 0.5 ? 'test' : 'lint',
      startedAt: new Date(start).toISOString(),
      ...(running
        ? { status: 'in_progress', conclusion: undefined, completedAt: undefined }
        : { conclusion, completedAt: new Date(start + minutes * 60_000).toISOString() }),
    });
  });
}

describe('build_duration', () => {
  it('is null without completed builds', async () => {
    const ts = await open({ builds: [build('running', { status: 'in_progress', conclusion: undefined, completedAt: undefined })] });
    expect(await metric(ts, 'build_duration')).toMatchObject({ value: null, p90: null, count: 0, unit: 'hours' });
    await ts.close();
  });

  it('is the median and p90 of start to completion of builds that ran, completed in the window', async () => {
    const builds = [
      build('a', { startedAt: at(2), completedAt: at(2, 0.25) }),
      build('b', { startedAt: at(3), completedAt: at(3, 0.5) }),
      build('c', { startedAt: at(4), completedAt: at(4, 1), conclusion: 'failure' }),
      build('d', { startedAt: at(5), completedAt: at(5, 2), conclusion: 'timed_out' }),
      // Cancelled and skipped runs did not run to an end; one completed on the window's end is outside it.
      build('e', { startedAt: at(6), completedAt: at(6, 9), conclusion: 'cancelled' }),
      build('f', { startedAt: at(6), completedAt: at(6), conclusion: 'skipped' }),
      build('g', { startedAt: '2026-03-31T23:00:00Z', completedAt: MARCH.to }),
    ];
    const ts = await open({ builds });
    // hours [0.25, 0.5, 1, 2]: p50 0.75, p90 = 1 + 0.7 × 1 = 1.7
    const result = await metric(ts, 'build_duration');
    expect(result).toMatchObject({ value: 0.75, p50: 0.75, count: 4 });
    expect(result.p90).toBeCloseTo(1.7, 12);
    await ts.close();
  });

  it('equals a direct computation over a generated history, for the organisation, a team and a repository', async () => {
    const builds = history();
    const ts = await open({ builds });
    for (const window of [MARCH, { from: '2026-02-01T00:00:00Z', to: '2026-03-15T00:00:00Z' }]) {
      const truth = truthDuration(builds, window.from, window.to);
      const result = await metric(ts, 'build_duration', window);
      expect(result.count).toBe(truth.count);
      expect(result.value).toBeCloseTo(truth.p50!, 9);
      expect(result.p90).toBeCloseTo(truth.p90!, 9);
    }
    const web = builds.filter((b) => b.repository === 'acme/web');
    expect((await metric(ts, 'build_duration', { team: 'growth' })).value).toBeCloseTo(truthDuration(web, MARCH.from, MARCH.to).p50!, 9);
    expect((await metric(ts, 'build_duration', { repository: 'acme/web' })).count).toBe(truthDuration(web, MARCH.from, MARCH.to).count);
    await ts.close();
  });
});

describe('build_success_rate', () => {
  it('is successes ÷ builds that passed or failed, reruns counted as builds of their own', async () => {
    const ts = await open({
      workItems: [pullRequest(1, { createdAt: at(1) }), pullRequest(2, { createdAt: at(1), author: 'cy', repository: 'acme/web' })],
      builds: [
        build('a', { conclusion: 'failure', pullRequest: 'pr-acme/api-1' }),
        build('b', { conclusion: 'success', attempt: 2, pullRequest: 'pr-acme/api-1' }),
        build('c', { conclusion: 'timed_out' }),
        build('d', { conclusion: 'success' }),
        build('e', { conclusion: 'cancelled' }),
        build('f', { conclusion: 'skipped' }),
        build('g', { conclusion: 'success', repository: 'acme/web', pullRequest: 'pr-acme/web-2' }),
      ],
    });
    expect(await metric(ts, 'build_success_rate')).toEqual({ value: 3 / 5, unit: 'ratio', succeeded: 3, failed: 2, total: 5 });
    expect(await metric(ts, 'build_success_rate', { person: 'ana' })).toMatchObject({ value: 1 / 2, total: 2 });
    expect(await metric(ts, 'build_success_rate', { team: 'growth' })).toMatchObject({ value: 1, total: 1 });
    expect(await metric(ts, 'build_success_rate', { from: '2026-05-01T00:00:00Z', to: '2026-06-01T00:00:00Z' })).toMatchObject({
      value: null,
      total: 0,
    });
    expect((await ts.metrics.explain('build_success_rate', MARCH)).rows.map((r) => r.build)).toEqual(['a', 'b', 'c', 'd', 'g']);
    await ts.close();
  });

  it('equals a direct computation over a generated history', async () => {
    const builds = history();
    const ts = await open({ builds });
    expect((await metric(ts, 'build_success_rate')).value).toBeCloseTo(truthSuccess(builds, MARCH.from, MARCH.to)!, 12);
    const api = builds.filter((b) => b.repository === 'acme/api');
    expect((await metric(ts, 'build_success_rate', { team: 'payments' })).value).toBeCloseTo(truthSuccess(api, MARCH.from, MARCH.to)!, 12);
    await ts.close();
  });
});
