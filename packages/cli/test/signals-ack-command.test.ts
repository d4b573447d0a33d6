import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { demoDatabase, runCli } from './run-cli.js';

// `teamstate signals ack|snooze` (issue 50): a person acknowledges or snoozes a signal from the terminal.
const dir = mkdtempSync(join(tmpdir(), 'teamstate-signals-ack-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const NOW = '2026-03-12T10:00:00Z';

describe('teamstate signals ack|snooze', () => {
  it('acknowledges and snoozes a signal as --as, and refuses what it cannot do', async () => {
    const db = join(dir, 'demo.db');
    expect((await demoDatabase(db, NOW)).code).toBe(0);
    const listed = JSON.parse((await runCli(['--db', db, '--now', NOW, '--json', 'signals', '--kind', 'pr.awaiting_review'])).stdout) as {
      signals: { fingerprint: string; team?: string; ack?: unknown; evidence: { author: string } }[];
    };
    const [first] = listed.signals;
    // Another signal of the same team: its members may act on it (docs/security.md#who-may-acknowledge-a-signal).
    const team = JSON.parse(
      (await runCli(['--db', db, '--now', NOW, '--json', 'signals', '--team', first!.team!])).stdout,
    ) as typeof listed;
    const second = team.signals.find((s) => s.fingerprint !== first!.fingerprint && !s.fingerprint.startsWith('person.'));
    expect(first?.ack).toBeUndefined();
    // The author of the waiting pull request acknowledges it.
    const person = first!.evidence.author;

    const acked = await runCli(['--db', db, '--now', NOW, '--json', 'signals', 'ack', first!.fingerprint, '--as', person]);
    expect(acked.stderr).toBe('');
    expect(JSON.parse(acked.stdout).signal).toMatchObject({ fingerprint: first!.fingerprint, ack: { by: person }, owner: person });
    const snoozed = await runCli(['--db', db, '--now', NOW, 'signals', 'snooze', second!.fingerprint, '--for', '2d', '--as', person]);
    expect(snoozed.stdout).toContain(`Snoozed ${second!.fingerprint} until 2026-03-14T10:00:00.000Z`);
    const again = JSON.parse(
      (await runCli(['--db', db, '--now', NOW, '--json', 'signals', '--team', first!.team!, '--limit', '500'])).stdout,
    ) as {
      signals: { fingerprint: string; ack?: unknown; snoozedUntil?: string }[];
    };
    expect(again.signals.find((s) => s.fingerprint === first!.fingerprint)?.ack).toMatchObject({ by: person });
    expect(again.signals.find((s) => s.fingerprint === second!.fingerprint)?.snoozedUntil).toBe('2026-03-14T10:00:00.000Z');

    const nobody = await runCli(['--db', db, 'signals', 'ack', first!.fingerprint], {
      env: { TEAMSTATE_TOKEN: undefined, XDG_CONFIG_HOME: dir },
    });
    expect([nobody.code, nobody.stderr]).toEqual([2, expect.stringContaining('--as: who is this?')]);
    const unknown = await runCli(['--db', db, 'signals', 'ack', 'no-such-signal', '--as', person]);
    expect([unknown.code, unknown.stderr]).toEqual([1, expect.stringContaining('signal: no signal "no-such-signal"')]);
    const noDuration = await runCli(['--db', db, 'signals', 'snooze', second!.fingerprint, '--as', person]);
    expect([noDuration.code, noDuration.stderr]).toEqual([2, expect.stringContaining('--for: give --for <duration>')]);
  });
});
