import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClient } from '@libsql/client';
import { createTeamState, type DetectedSignal, type SignalDetector, workingHoursBetween } from '@teamstate/core';
import { afterAll, describe, expect, it } from 'vitest';

const t = (iso: string) => Date.parse(iso);

describe('working hours', () => {
  it('counts only 09:00–17:00 on weekdays', () => {
    // Friday 16:00 → Monday 10:00: one hour on Friday, one on Monday.
    expect(workingHoursBetween(t('2026-11-20T16:00:00Z'), t('2026-11-23T10:00:00Z'))).toBe(2);
    // A whole week is 40 working hours.
    expect(workingHoursBetween(t('2026-11-16T00:00:00Z'), t('2026-11-23T00:00:00Z'))).toBe(40);
    expect(workingHoursBetween(t('2026-11-21T08:00:00Z'), t('2026-11-22T20:00:00Z'))).toBe(0);
    expect(workingHoursBetween(t('2026-11-23T12:00:00Z'), t('2026-11-23T11:00:00Z'))).toBe(0);
  });

  it('follows a time zone, including daylight saving', () => {
    const berlin = { start: 9, end: 17, days: [1, 2, 3, 4, 5], timeZone: 'Europe/Berlin' };
    // Monday 2026-03-30 (CEST, UTC+2): 09:00 local is 07:00Z.
    expect(workingHoursBetween(t('2026-03-30T07:00:00Z'), t('2026-03-30T15:00:00Z'), berlin)).toBe(8);
    // Monday 2026-03-23 (CET, UTC+1): 09:00 local is 08:00Z.
    expect(workingHoursBetween(t('2026-03-23T07:00:00Z'), t('2026-03-23T09:00:00Z'), berlin)).toBe(1);
  });
});

describe('signals refresh', () => {
  // Open incidents older than `hours`, so tests can move the clock and change the data.
  const detector: SignalDetector = {
    specificationVersion: 'v1',
    kind: 'incident.long',
    title: 'Long incident',
    description: 'An incident open longer than `hours` hours.',
    defaults: { hours: 4 },
    async detect(store, ctx) {
      const { rows } = await store.execute('SELECT id, created_at FROM incidents WHERE workspace = ? AND resolved_at IS NULL', [
        ctx.workspace,
      ]);
      return rows
        .filter((r) => (ctx.now.getTime() - Number(r.created_at)) / 3_600_000 > Number(ctx.settings('payments').hours))
        .map((r) => ({
          severity: 'critical',
          subject: { type: 'incident', id: String(r.id) },
          team: 'payments',
          title: `${r.id} is long`,
          evidence: { createdAt: Number(r.created_at) },
        }));
    },
  };
  const bundle = {
    format: 'teamstate.bundle/v1',
    teams: [
      { id: 'payments', name: 'Payments' },
      { id: 'growth', name: 'Growth' },
    ],
    incidents: [
      { id: 'inc-1', title: 'one', createdAt: '2026-11-20T00:00:00Z' },
      { id: 'inc-2', title: 'two', createdAt: '2026-11-20T08:00:00Z' },
    ],
  };

  it('opens, keeps first seen, resolves what no longer holds, reopens, and never duplicates', async () => {
    let now = new Date('2026-11-20T06:00:00Z');
    const ts = await createTeamState({ database: ':memory:', signals: [detector], clock: () => now });
    await ts.import(bundle);
    expect(await ts.signals.refresh()).toMatchObject({ open: 1, opened: 1, resolved: 0 });
    now = new Date('2026-11-20T13:00:00Z');
    expect(await ts.signals.refresh()).toMatchObject({ open: 2, opened: 1, resolved: 0 });
    // Again at the same instant (a fixed --now): nothing new opened.
    expect(await ts.signals.refresh()).toMatchObject({ open: 2, opened: 0, resolved: 0 });
    const open = await ts.signals.list();
    expect(open.map((s) => s.fingerprint)).toEqual(['incident.long:incident:inc-1', 'incident.long:incident:inc-2']);
    expect(open[0]!.firstSeenAt).toBe('2026-11-20T06:00:00.000Z');
    expect(open[0]!.lastSeenAt).toBe('2026-11-20T13:00:00.000Z');
    await ts.import({ ...bundle, incidents: [{ ...bundle.incidents[0], resolvedAt: '2026-11-20T12:00:00Z' }] });
    expect(await ts.signals.refresh()).toMatchObject({ open: 1, resolved: 1 });
    expect((await ts.signals.list({ status: 'resolved' }))[0]).toMatchObject({
      fingerprint: 'incident.long:incident:inc-1',
      resolvedAt: '2026-11-20T13:00:00.000Z',
      // Last seen by the refresh before (its row, unchanged since 06:00, was not written again then).
      lastSeenAt: '2026-11-20T13:00:00.000Z',
    });
    await ts.import(bundle);
    now = new Date('2026-11-20T14:00:00Z');
    expect(await ts.signals.refresh()).toMatchObject({ opened: 1 });
    const reopened = (await ts.signals.list()).find((s) => s.subject.id === 'inc-1');
    expect(reopened!.firstSeenAt).toBe('2026-11-20T14:00:00.000Z');
    expect((await ts.store.execute('SELECT count(*) AS n FROM signals')).rows[0]!.n).toBe(2);
    await ts.close();
  });

  it('rewrites an open signal only when what it says changed, and one found twice says what was found last', async () => {
    let now = new Date('2026-11-20T06:00:00Z');
    let found: { title: string; evidence: Record<string, unknown>; team?: string; severity?: 'info' | 'critical' }[] = [];
    const echo: SignalDetector = {
      specificationVersion: 'v1',
      kind: 'incident.echo',
      title: 'Echo',
      description: 'Whatever the test says.',
      defaults: {},
      detect: async () =>
        found.map((f) => ({
          severity: f.severity ?? 'info',
          subject: { type: 'incident', id: 'inc-1' },
          team: f.team,
          title: f.title,
          evidence: f.evidence,
        })),
    };
    const ts = await createTeamState({ database: ':memory:', signals: [echo], clock: () => now });
    const stored = async () =>
      (await ts.store.execute('SELECT severity, team_id, title, evidence, first_seen_at, last_seen_at FROM signals')).rows.map((r) => ({
        ...r,
      }));
    found = [{ title: 'one', evidence: { n: 1 } }];
    expect(await ts.signals.refresh()).toMatchObject({ open: 1, opened: 1 });
    const first = Date.parse('2026-11-20T06:00:00Z');
    // The same again later: its row is left as it was (its last sight is its kind's run).
    now = new Date('2026-11-20T07:00:00Z');
    await ts.signals.refresh();
    expect(await stored()).toEqual([
      { severity: 'info', team_id: null, title: 'one', evidence: '{"n":1}', first_seen_at: first, last_seen_at: first },
    ]);
    // Each of what it says, changed alone, is written (and seen now).
    const changes: [(typeof found)[number], Record<string, unknown>][] = [
      [{ title: 'one', evidence: { n: 2 } }, { evidence: '{"n":2}' }],
      [{ title: 'two', evidence: { n: 2 } }, { title: 'two' }],
      [{ title: 'two', evidence: { n: 2 }, team: 'payments' }, { team_id: 'payments' }],
      [{ title: 'two', evidence: { n: 2 }, team: 'payments', severity: 'critical' }, { severity: 'critical' }],
    ];
    let hour = 8;
    for (const [signal, column] of changes) {
      now = new Date(`2026-11-20T${String(hour++).padStart(2, '0')}:00:00Z`);
      found = [signal];
      expect(await ts.signals.refresh()).toMatchObject({ open: 1, opened: 0, resolved: 0 });
      expect((await stored())[0]).toMatchObject({ ...column, first_seen_at: first, last_seen_at: now.getTime() });
    }
    // Found twice in one refresh: the last one found is what it says, whether the first or the last is the stored one.
    found = [
      { title: 'other', evidence: {} },
      { title: 'two', evidence: { n: 2 }, team: 'payments', severity: 'critical' },
    ];
    // One signal open, not two.
    expect(await ts.signals.refresh()).toMatchObject({ open: 1, opened: 0, byKind: { 'incident.echo': 1 } });
    expect((await stored())[0]).toMatchObject({ title: 'two', evidence: '{"n":2}', team_id: 'payments', severity: 'critical' });
    found = [
      { title: 'two', evidence: { n: 2 }, team: 'payments', severity: 'critical' },
      { title: 'three', evidence: { n: 3 } },
    ];
    await ts.signals.refresh();
    expect((await stored())[0]).toMatchObject({ title: 'three', evidence: '{"n":3}', team_id: null, severity: 'info' });
    expect(await ts.signals.list()).toHaveLength(1);
    await ts.close();
  });

  it('names the column when a stored signal holds a value of another type, rather than listing a wrong one', async () => {
    const ts = await createTeamState({ database: ':memory:', signals: [detector], clock: () => new Date('2026-11-20T13:00:00Z') });
    await ts.import(bundle);
    await ts.signals.refresh();
    await ts.store.execute("UPDATE signals SET first_seen_at = 'yesterday' WHERE subject_id = 'inc-2'");
    await expect(ts.signals.list()).rejects.toThrow(
      'column "first_seen_at": expected a number, the database returned string "yesterday" (is the schema migrated?)',
    );
    await ts.store.execute("UPDATE signals SET first_seen_at = 0, status = 'snoozed' WHERE subject_id = 'inc-2'");
    await expect(ts.signals.list({ status: 'all' })).rejects.toThrow('column "status": expected one of open, resolved');
    await ts.close();
  });

  it('applies thresholds for everyone and per team, and filters the list', async () => {
    const now = new Date('2026-11-20T13:00:00Z');
    const strict = await createTeamState({
      database: ':memory:',
      signals: [detector],
      clock: () => now,
      signalSettings: { thresholds: { 'incident.long': { hours: 100 } }, teams: { payments: { 'incident.long': { hours: 1 } } } },
    });
    await strict.import(bundle);
    await strict.signals.refresh();
    expect(await strict.signals.list({ team: 'payments', severity: 'critical' })).toHaveLength(2);
    expect(await strict.signals.list({ team: 'growth' })).toHaveLength(0);
    // A team or kind that does not exist is an error with a suggestion, not an empty list that reads as all clear.
    await expect(strict.signals.list({ team: 'paymnets' })).rejects.toThrow(
      'team: unknown team "paymnets" (did you mean "payments"?); known: growth, payments',
    );
    await expect(strict.signals.list({ kind: 'incident.lng' })).rejects.toThrow(
      'kind: unknown kind "incident.lng" (did you mean "incident.long"?); known: incident.long',
    );
    await expect(strict.signals.list({ severity: 'loud' as 'info' })).rejects.toThrow(
      'severity: expected one of info|warning|critical, got "loud"',
    );
    expect(strict.signals.detectors()).toEqual([
      { kind: 'incident.long', title: 'Long incident', description: 'An incident open longer than `hours` hours.', defaults: { hours: 4 } },
    ]);
    await strict.close();
  });
});

describe('signals refresh on a local file: the write begins while detectors still read', () => {
  const dir = mkdtempSync(join(tmpdir(), 'teamstate-signals-write-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const now = new Date('2026-11-20T13:00:00Z');
  const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
  const incident = (id: string, evidence: Record<string, unknown> = {}): DetectedSignal => ({
    severity: 'info',
    subject: { type: 'incident', id },
    title: id,
    evidence,
  });
  const echo = (kind: string, detect: SignalDetector['detect']): SignalDetector => ({
    specificationVersion: 'v1',
    kind,
    title: kind,
    description: 'Whatever the test says.',
    defaults: {},
    detect,
  });
  let files = 0;
  const open = (signals: SignalDetector[]) =>
    createTeamState({ database: `file:${join(dir, `store-${++files}.db`)}`, signals, clock: () => now });
  const dump = async (ts: Awaited<ReturnType<typeof open>>) => ({
    signals: (await ts.store.execute('SELECT * FROM signals ORDER BY rowid')).rows.map((row) => ({ ...row })),
    runs: (await ts.store.execute('SELECT * FROM signal_detector_runs ORDER BY kind')).rows.map((row) => ({ ...row })),
  });

  // What this shows from outside: the transaction holds the write lock while a later detector reads. The first
  // detector's rows are inserted in it by then (before any timer runs), but no other connection can see them.
  it('begins its write while a later detector reads, which sees only what was committed', async () => {
    let writing: boolean | undefined;
    let stored: number | undefined;
    const ts = await open([
      echo('incident.first', async () => [incident('inc-1')]),
      echo('incident.last', async (db) => {
        // Timers run after the refresh's transaction took the first detector's rows (the local driver is synchronous).
        await pause(20);
        // Another connection cannot write now: the refresh's transaction holds the file's write lock.
        const other = createClient({ url: ts.store.url, timeout: 0 });
        writing = await other.execute('BEGIN IMMEDIATE').then(
          () => false,
          (error: unknown) => /SQLITE_BUSY|database is locked/.test(String(error)),
        );
        other.close();
        stored = Number((await db.execute('SELECT count(*) AS n FROM signals WHERE workspace = ?', [ts.workspace])).rows[0]!.n);
        return [incident('inc-2', { stored })];
      }),
    ]);
    try {
      expect(await ts.signals.refresh()).toMatchObject({ open: 2, opened: 2, byKind: { 'incident.first': 1, 'incident.last': 1 } });
      expect(writing).toBe(true);
      // Not the first detector's row, written but not yet committed.
      expect(stored).toBe(0);
      expect((await ts.signals.list()).map((signal) => signal.fingerprint)).toEqual([
        'incident.first:incident:inc-1',
        'incident.last:incident:inc-2',
      ]);
    } finally {
      await ts.close();
    }
  });

  it("a detector that fails after another's rows were written leaves the store exactly as it was", async () => {
    let fail = false;
    const ts = await open([
      echo('incident.first', async () => (fail ? [incident('inc-3')] : [incident('inc-1')])),
      echo('incident.last', async () => {
        await pause(20);
        if (fail) throw new Error('incident.last could not read');
        return [incident('inc-2')];
      }),
    ]);
    try {
      await ts.signals.refresh();
      const before = await dump(ts);
      fail = true;
      await expect(ts.signals.refresh({ full: true })).rejects.toThrow('incident.last could not read');
      expect(await dump(ts)).toEqual(before);
    } finally {
      await ts.close();
    }
  });

  it('a detector that fails while an earlier one still reads fails the refresh, and nothing goes unhandled', async () => {
    const unhandled: unknown[] = [];
    const record = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', record);
    const ts = await open([
      echo('incident.first', async () => {
        await pause(30);
        return [incident('inc-1')];
      }),
      echo('incident.last', async () => {
        throw new Error('incident.last could not read');
      }),
    ]);
    try {
      await expect(ts.signals.refresh()).rejects.toThrow('incident.last could not read');
      // Rejections are reported once the event loop has turned.
      await pause(10);
      expect(unhandled).toEqual([]);
      expect(await dump(ts)).toEqual({ signals: [], runs: [] });
    } finally {
      process.off('unhandledRejection', record);
      await ts.close();
    }
  });
});
