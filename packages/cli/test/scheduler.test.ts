import { createTeamState, type Logger } from '@teamstate/core';
import { describe, expect, it } from 'vitest';
import { createScheduler, nextDelay } from '../src/server/scheduler.js';
import { manualTimers as sharedTimers } from './manual-timers.js';

/** Timers driven by the test on a clock of their own, from `start`. */
function manualTimers(start = Date.parse('2026-05-04T10:00:00Z'), random = 0.5) {
  let now = start;
  return sharedTimers({ now: () => now, set: (at) => (now = at) }, { random, settleRounds: 20 });
}

function recordingLogger() {
  const lines: { level: string; message: string; fields?: Record<string, unknown> }[] = [];
  const at =
    (level: string) =>
    (message: string, fields?: Record<string, unknown>): void => {
      lines.push({ level, message, ...(fields ? { fields } : {}) });
    };
  const log: Logger = { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
  return { log, lines };
}

describe('the hub scheduler (issue 50)', () => {
  it('runs a job at start and then every interval plus up to 10 % jitter, one pass at a time', async () => {
    const clock = manualTimers();
    const { log } = recordingLogger();
    const runs: number[] = [];
    const scheduler = createScheduler({ log, timers: clock.timers });
    scheduler.add({ name: 'tick', everyMs: 60_000, run: async () => void runs.push(clock.now()) });
    scheduler.start();
    await clock.advance(0);
    expect(runs).toHaveLength(1);
    // random 0.5 → 5 % jitter: 63 s between runs.
    await clock.advance(62_999);
    expect(runs).toHaveLength(1);
    await clock.advance(1);
    expect(runs.map((at) => at - runs[0]!)).toEqual([0, 63_000]);
    await scheduler.stop();
    await clock.advance(600_000);
    expect(runs).toHaveLength(2);
  });

  it('backs off after failures, logging the source and the next attempt without secrets, and resets after a success', async () => {
    const clock = manualTimers(Date.parse('2026-05-04T10:00:00Z'), 0);
    const { log, lines } = recordingLogger();
    let failing = 3;
    const runs: number[] = [];
    const scheduler = createScheduler({ log, timers: clock.timers });
    scheduler.add({
      name: 'sync github',
      source: 'github',
      everyMs: 60_000,
      async run() {
        runs.push(clock.now());
        if (failing-- > 0)
          throw new Error('GET https://x-access-token:ghs_secretvalue123@api.github.com/orgs/acme?access_token=abc failed: 502');
      },
    });
    scheduler.start();
    await clock.advance(20 * 60_000);
    const gaps = runs.slice(1).map((at, i) => at - runs[i]!);
    // Three failures: 2, 4 and 8 minutes; then back to the interval.
    expect(gaps.slice(0, 4)).toEqual([120_000, 240_000, 480_000, 60_000]);
    const errors = lines.filter((l) => l.level === 'error');
    expect(errors).toHaveLength(3);
    expect(errors[0]!.message).toContain('sync github failed (1 in a row)');
    expect(errors[0]!.message).toContain('next attempt at 2026-05-04T10:02:00.000Z (in 2m)');
    expect(errors[0]!.fields).toEqual({ source: 'github', nextAttemptAt: '2026-05-04T10:02:00.000Z' });
    for (const line of errors) expect(line.message).not.toMatch(/ghs_secretvalue123|access_token=abc/);
    expect(scheduler.states()[0]).toMatchObject({ name: 'sync github', failures: 0 });
    await scheduler.stop();
  });

  it('caps the back-off at the longer of the interval and an hour', () => {
    expect(nextDelay(15 * 60_000, 1, 0)).toBe(30 * 60_000);
    expect(nextDelay(15 * 60_000, 10, 0)).toBe(3_600_000);
    expect(nextDelay(2 * 3_600_000, 3, 0)).toBe(2 * 3_600_000);
    expect(nextDelay(60_000, 0, 0.999)).toBe(65_994);
  });

  it('runs a leased job only while it holds the lease in the database, renews it during a long pass and skips when another holds it', async () => {
    const clock = manualTimers();
    const { log, lines } = recordingLogger();
    const ts = await createTeamState({ database: ':memory:', clock: () => new Date(clock.now()) });
    try {
      // Another process holds the lease for one more minute.
      expect((await ts.syncLease('github', { holder: 'other', ttlMs: 60_000 })).acquired).toBe(true);
      let finish: () => void = () => {};
      const passes: string[] = [];
      const scheduler = createScheduler({
        log,
        timers: clock.timers,
        leaseTtlMs: 30_000,
        lease: (key, ttlMs) => ts.syncLease(key, { holder: 'me', ttlMs }),
      });
      scheduler.add({
        name: 'sync github',
        everyMs: 120_000,
        lease: 'github',
        run: (signal) =>
          new Promise<void>((resolve) => {
            passes.push('started');
            finish = () => {
              passes.push(signal.aborted ? 'aborted' : 'done');
              resolve();
            };
          }),
      });
      scheduler.start();
      await clock.advance(0);
      expect(passes).toEqual([]);
      expect(lines.some((l) => l.level === 'debug' && l.message.includes('skipped, other is running it'))).toBe(true);
      // Next try after the interval (+5 %): the other lease has expired, so this process takes it.
      await clock.advance(126_000);
      expect(passes).toEqual(['started']);
      // A long pass: renewed every 10 s, another holder cannot take it.
      await clock.advance(95_000);
      expect((await ts.syncLease('github', { holder: 'other', ttlMs: 60_000 })).acquired).toBe(false);
      finish();
      await scheduler.idle();
      expect(passes).toEqual(['started', 'done']);
      // Released after the pass.
      const after = await ts.syncLease('github', { holder: 'other', ttlMs: 60_000 });
      expect(after.acquired).toBe(true);
      await after.release();
      await scheduler.stop();
    } finally {
      await ts.close();
    }
  });

  it('stops a leased pass when the lease was lost to another process', async () => {
    const clock = manualTimers();
    const { log, lines } = recordingLogger();
    let renewals = 0;
    let aborted = false;
    const scheduler = createScheduler({
      log,
      timers: clock.timers,
      leaseTtlMs: 30_000,
      lease: async () => ({
        acquired: true,
        renew: async () => ++renewals < 2,
        release: async () => {},
      }),
    });
    scheduler.add({
      name: 'sync jira',
      everyMs: 60_000,
      lease: 'jira',
      run: (signal) =>
        new Promise<void>((resolve) =>
          signal.addEventListener('abort', () => {
            aborted = true;
            resolve();
          }),
        ),
    });
    scheduler.start();
    await clock.advance(25_000);
    expect(aborted).toBe(true);
    expect(lines.some((l) => l.level === 'warn' && l.message === 'sync jira: lost its lease to another process; stopping this pass')).toBe(
      true,
    );
    await scheduler.stop();
  });

  it("caps a wait at Node's longest timer, which would otherwise fire at once", async () => {
    const clock = manualTimers();
    const runs: number[] = [];
    const scheduler = createScheduler({ log: recordingLogger().log, timers: clock.timers });
    scheduler.add({ name: 'rare', everyMs: 60 * 86_400_000, firstRunInMs: 90 * 86_400_000, run: async () => void runs.push(clock.now()) });
    scheduler.start();
    await clock.advance(1000);
    expect(runs).toEqual([]);
    expect(scheduler.states()[0]!.nextAt! - clock.now()).toBe(2 ** 31 - 1 - 1000);
    await scheduler.stop();
  });

  it('refuses a job without a positive interval or with a name already scheduled', () => {
    const scheduler = createScheduler({ log: recordingLogger().log, timers: manualTimers().timers });
    expect(() => scheduler.add({ name: 'x', everyMs: 0, run: async () => {} })).toThrow('x: everyMs must be a positive number');
    scheduler.add({ name: 'x', everyMs: 1000, run: async () => {} });
    expect(() => scheduler.add({ name: 'x', everyMs: 1000, run: async () => {} })).toThrow('x: a job of that name is already scheduled');
  });
});
