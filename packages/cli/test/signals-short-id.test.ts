import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from './run-cli.js';

// `teamstate signals` shows a short id per signal that `signals ack|snooze` take, and marks what is acknowledged or
// snoozed. Two of the pull requests are numbered so that their signals' short ids share the first four characters.
const dir = mkdtempSync(join(tmpdir(), 'teamstate-signals-short-id-'));
const db = join(dir, 'team.db');
const NOW = '2026-03-12T10:00:00Z';
const cli = (...args: string[]) => runCli(['--db', db, '--now', NOW, ...args], { cwd: dir });
const hash = (text: string) => createHash('sha256').update(text).digest('hex');
const fingerprint = (n: number) => `pr.awaiting_review:work_item:gh-pr-acme/api#${n}`;

/** Two pull request numbers whose awaiting-review fingerprints' hashes share their first four characters. */
function collidingNumbers(): [number, number] {
  const seen = new Map<string, number>();
  for (let n = 1; ; n++) {
    const prefix = hash(fingerprint(n)).slice(0, 4);
    const before = seen.get(prefix);
    if (before !== undefined) return [before, n];
    seen.set(prefix, n);
  }
}
const [first, second] = collidingNumbers();

beforeAll(async () => {
  writeFileSync(
    join(dir, 'bundle.json'),
    JSON.stringify({
      format: 'teamstate.bundle/v1',
      teams: [{ id: 'payments', name: 'Payments' }],
      people: [{ id: 'ana', name: 'Ana', teams: ['payments'] }],
      repositories: [{ id: 'acme/api', team: 'payments' }],
      workItems: [first, second].map((n) => ({
        id: `gh-pr-acme/api#${n}`,
        source: 'github',
        kind: 'pull_request',
        key: `acme/api#${n}`,
        title: `Change ${n}`,
        state: 'open',
        team: 'payments',
        repository: 'acme/api',
        author: 'ana',
        createdAt: '2026-03-02T08:00:00Z',
      })),
    }),
  );
  const imported = await cli('import', 'bundle.json');
  expect(imported.code, imported.stderr).toBe(0);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

type Listed = { signals: { fingerprint: string; shortId: string; title: string }[] };
const listed = async () => JSON.parse((await cli('--json', 'signals', '--kind', 'pr.awaiting_review')).stdout) as Listed;

describe('teamstate signals short ids', () => {
  it('shows a stable short id on each row, unique in the listing, and ack and snooze take it', async () => {
    const { signals } = await listed();
    const one = signals.find((s) => s.fingerprint === fingerprint(first))!;
    const other = signals.find((s) => s.fingerprint === fingerprint(second))!;
    expect(one.shortId).toBe(hash(one.fingerprint).slice(0, 7));
    expect(one.shortId).not.toBe(other.shortId);
    const table = (await cli('signals', '--kind', 'pr.awaiting_review')).stdout;
    expect(table).toMatch(/^ID\s+Severity/m);
    expect(table).toMatch(new RegExp(`^${one.shortId}\\s+\\w+\\s+pr\\.awaiting_review\\s+payments\\s+${one.title.slice(0, 10)}`, 'm'));

    const acked = await cli('signals', 'ack', one.shortId, '--as', 'ana');
    expect(acked.stdout).toContain(`Acknowledged ${one.fingerprint} as ana`);
    const snoozed = await cli('signals', 'snooze', other.shortId, '--for', '2d', '--as', 'ana');
    expect(snoozed.stdout).toContain(`Snoozed ${other.fingerprint} until 2026-03-14T10:00:00.000Z`);

    const after = (await cli('signals', '--kind', 'pr.awaiting_review')).stdout;
    expect(after).toMatch(new RegExp(`^${one.shortId}\\s.*\\[acked by ana\\] ${one.title.slice(0, 10)}`, 'm'));
    expect(after).toMatch(new RegExp(`^${other.shortId}\\s.*\\[snoozed until 2026-03-14 10:00\\] ${other.title.slice(0, 10)}`, 'm'));
    expect((await listed()).signals.find((s) => s.fingerprint === one.fingerprint)?.shortId).toBe(one.shortId);
  });

  it('refuses an ambiguous or unknown short id with what to give instead', async () => {
    const shared = hash(fingerprint(first)).slice(0, 4);
    const ambiguous = await cli('signals', 'ack', shared, '--as', 'ana');
    expect(ambiguous.code).toBe(2);
    expect(ambiguous.stderr).toContain(`the short id "${shared}" matches 2 signals; give more characters or the full fingerprint`);
    expect(ambiguous.stderr).toContain(fingerprint(first));
    const unknown = await cli('signals', 'snooze', 'ffffffff', '--for', '1d', '--as', 'ana');
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('signal: no signal has the short id "ffffffff"');
  });
});
