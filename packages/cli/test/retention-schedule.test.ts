import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Bundle, createTeamState, type Logger } from '@teamstate/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RETENTION_EVERY_MS, scheduleRetention } from '../src/server/retention-schedule.js';

// `serve` runs retention at start and once a day: a real facade on :memory:, an injected clock and timer.
let folder: string;
beforeEach(() => {
  folder = mkdtempSync(join(tmpdir(), 'teamstate-retention-schedule-'));
});
afterEach(() => rmSync(folder, { recursive: true, force: true }));

describe('scheduleRetention', () => {
  it('runs at start and at every tick of its daily timer, as system, one run at a time; stop() waits for the run', async () => {
    const now = { ms: Date.parse('2026-11-20T12:00:00Z') };
    const ts = await createTeamState({ database: ':memory:', clock: () => new Date(now.ms), retention: { archive: folder } });
    const logged: string[] = [];
    const log: Logger = {
      debug() {},
      info: (m) => void logged.push(m),
      warn: (m) => void logged.push(m),
      error: (m) => void logged.push(m),
    };
    try {
      await ts.import({
        format: 'teamstate.bundle/v1',
        people: [{ id: 'ana', name: 'Ana' }],
        reports: [
          { person: 'ana', day: '2025-10-01', text: 'Expired at start' },
          { person: 'ana', day: '2026-01-10', text: 'Expires in two months' },
        ],
      } as unknown as Bundle);
      let tick: (() => void) | undefined;
      let every = 0;
      let cleared = false;
      const schedule = scheduleRetention(ts, log, {
        timers: {
          setInterval(fn, ms) {
            tick = fn;
            every = ms;
            return {};
          },
          clearInterval() {
            cleared = true;
          },
        },
      });
      expect(every).toBe(RETENTION_EVERY_MS);
      await schedule.idle();
      now.ms += 60 * 86_400_000;
      // Two ticks at once run one after the other: the second finds nothing left to do.
      tick!();
      tick!();
      await schedule.idle();
      await schedule.stop();
      expect(cleared).toBe(true);
      const runs = await ts.audit.list({ type: 'retention.run' });
      expect(runs.map((event) => [event.actor, (event.data as { counts: { reports: number } }).counts.reports])).toEqual([
        ['system', 1],
        ['system', 1],
      ]);
      expect((await ts.reports.list()).items).toEqual([]);
      expect(logged).toHaveLength(2);
      expect(logged[0]).toBe('retention: archived and deleted 1 reports, 0 webhook deliveries, 0 resolved signals');
    } finally {
      await ts.close();
    }
  });

  it('logs a failed run and keeps the schedule', async () => {
    const ts = await createTeamState({ database: ':memory:', retention: { archive: join(folder, 'not-a-folder') } });
    const errors: string[] = [];
    const log: Logger = { debug() {}, info() {}, warn() {}, error: (m) => void errors.push(m) };
    try {
      await ts.import({
        format: 'teamstate.bundle/v1',
        people: [{ id: 'ana', name: 'Ana' }],
        reports: [{ person: 'ana', day: '2020-01-01', text: 'Long expired' }],
      } as unknown as Bundle);
      // The archive path is a file: the run fails before deleting anything.
      writeFileSync(join(folder, 'not-a-folder'), '');
      const schedule = scheduleRetention(ts, log, { timers: { setInterval: () => ({}), clearInterval() {} } });
      await schedule.idle();
      await schedule.stop();
      expect(errors).toEqual([
        expect.stringMatching(
          /^retention: retention\.archive: could not write the archive .* \(ENOTDIR\); nothing was deleted, .*\(tried again in a day\)$/,
        ),
      ]);
      expect((await ts.reports.list()).items).toHaveLength(1);
    } finally {
      await ts.close();
    }
  });
});
