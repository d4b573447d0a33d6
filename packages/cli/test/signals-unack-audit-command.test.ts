import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoDatabase, runCli } from './run-cli.js';

// Who may acknowledge a signal from the terminal (docs/security.md#who-may-acknowledge-a-signal), `signals unack`,
// and `audit list`, where every ack, snooze and unack is an entry.
const dir = mkdtempSync(join(tmpdir(), 'teamstate-signals-unack-'));
const db = join(dir, 'demo.db');
const NOW = '2026-03-12T10:00:00Z';
const cli = (...args: string[]) => runCli(['--db', db, ...args], { env: { TEAMSTATE_TOKEN: undefined, XDG_CONFIG_HOME: dir } });
type Listed = { signals: { fingerprint: string; team?: string; ack?: { by: string }; evidence: { author?: string } }[] };
type Entries = { entries: { type: string; actor: string; data: { signal?: string } }[] };
let signal: Listed['signals'][number];

beforeAll(async () => {
  expect((await demoDatabase(db, NOW)).code).toBe(0);
  const listed = JSON.parse(
    (await cli('--now', NOW, '--json', 'signals', '--kind', 'pr.awaiting_review', '--team', 'payments')).stdout,
  ) as Listed;
  signal = listed.signals[0]!;
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const entries = async (kind: string) => (JSON.parse((await cli('--json', 'audit', 'list', '--kind', kind)).stdout) as Entries).entries;

describe('teamstate signals ack|snooze|unack, who may', () => {
  it('refuses another team’s member and writes nothing', async () => {
    const refused = await cli('signals', 'ack', signal.fingerprint, '--as', 'quinn-yilmaz');
    expect([refused.code, refused.stderr]).toEqual([1, expect.stringContaining('quinn-yilmaz is none of them')]);
    const snooze = await cli('signals', 'snooze', signal.fingerprint, '--for', '30d', '--as', 'quinn-yilmaz');
    expect(snooze.code).toBe(1);
    const after = JSON.parse((await cli('--now', NOW, '--json', 'signals', '--team', 'payments', '--limit', '500')).stdout) as Listed;
    expect(after.signals.find((s) => s.fingerprint === signal.fingerprint)).not.toHaveProperty('ack');
    expect(await entries('signal.ack')).toEqual([]);
    expect(await entries('signal.snooze')).toEqual([]);
  });

  it('answers a wellbeing signal the caller may not read exactly as a wrong id', async () => {
    const hidden = await cli('signals', 'ack', 'person.after_hours:person:femi-santos', '--as', 'ben-tanaka');
    const wrong = await cli('signals', 'ack', 'person.after_hours:person:nobody', '--as', 'ben-tanaka');
    expect(hidden.code).toBe(1);
    expect(hidden.code).toBe(wrong.code);
    expect(hidden.stderr.replace('femi-santos', 'X')).toBe(wrong.stderr.replace('nobody', 'X'));
    expect(await entries('signal.ack')).toEqual([]);
  });

  it('acknowledges as a team member, takes it back with unack, and lists both on the ledger', async () => {
    const acked = await cli('--json', 'signals', 'ack', signal.fingerprint, '--as', 'ben-tanaka');
    expect(acked.stderr).toBe('');
    expect(JSON.parse(acked.stdout).signal.ack).toMatchObject({ by: 'ben-tanaka' });
    const back = await cli('signals', 'unack', signal.fingerprint, '--as', 'ben-tanaka');
    expect([back.code, back.stdout]).toEqual([0, expect.stringContaining(`Took back the acknowledgement of ${signal.fingerprint}`)]);
    const json = JSON.parse((await cli('--json', 'signals', 'unack', signal.fingerprint, '--as', 'ana-garcia')).stdout);
    expect(json.signal).not.toHaveProperty('ack');
    expect((await entries('signal.ack')).map((e) => [e.type, e.actor, e.data.signal])).toEqual([
      ['signal.ack', 'ben-tanaka', signal.fingerprint],
    ]);
    expect((await entries('signal.unack')).map((e) => e.actor)).toEqual(['ben-tanaka', 'ana-garcia']);
    const text = await cli('audit', 'list', '--kind', 'signal.unack');
    expect(text.stdout).toContain(`signal ${signal.fingerprint}`.slice(0, 40));
    expect(text.stdout.endsWith('\n')).toBe(true);
    const all = (JSON.parse((await cli('--json', 'audit', 'list', '--limit', '2')).stdout) as Entries).entries;
    expect(all.map((e) => e.type)).toEqual(['signal.unack', 'signal.unack']);
    const bad = await cli('audit', 'list', '--kind', 'nonsense');
    expect([bad.code, bad.stderr]).toEqual([2, expect.stringContaining('--kind: expected an entry kind')]);
  });
});
