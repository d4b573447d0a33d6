import { demoBundle } from '@teamstate/connectors/demo';
import { type Bundle, createTeamState, type TeamState } from '@teamstate/core';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { builtinSignals } from '../src/index.js';

// An incremental refresh (a detector runs again only when a table it reads, its settings or, when time-driven, the
// now changed) must store exactly what a full refresh stores. Two workspaces get the same random changes, round after
// round; one refreshes incrementally, the other in full: every signal row (open and resolved, titles, evidence,
// first/last seen) must be the same after every round, and the open ones what a fresh workspace finds from scratch.

const START = new Date('2026-11-21T10:00:00Z');
const HOUR = 3_600_000;
const ROUNDS = 12;

/** mulberry32: a seeded generator, so a failure replays. */
function random(seed: number) {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

type WorkItem = NonNullable<Bundle['workItems']>[number];
const iso = (ms: number) => new Date(ms).toISOString();

/** One round of changes: a few work items edited, and now and then a deployment, an incident or a daily report. */
function changes(bundle: Bundle, rand: () => number, now: number): Bundle {
  const items = bundle.workItems ?? [];
  const people = (bundle.people ?? []).map((p) => p.id);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rand() * xs.length)]!;
  const edited: WorkItem[] = [];
  for (let n = 1 + Math.floor(rand() * 4); n > 0; n--) {
    const item = structuredClone(pick(items));
    const edit = Math.floor(rand() * 7);
    if (item.kind === 'pull_request') {
      if (edit === 0) Object.assign(item, { state: 'merged', mergedAt: iso(now - HOUR), closedAt: iso(now - HOUR) });
      else if (edit === 1)
        Object.assign(item, { state: 'open', mergedAt: undefined, closedAt: undefined, createdAt: iso(now - 30 * 24 * HOUR) });
      else if (edit === 2) Object.assign(item, { additions: 1_500 + Math.floor(rand() * 2_000) });
      else if (edit === 3) Object.assign(item, { draft: !item.draft });
      else {
        const state = pick(['approved', 'changes_requested', 'commented'] as const);
        item.reviews = [...(item.reviews ?? []), { reviewer: pick(people), state, submittedAt: iso(now - Math.floor(rand() * 48) * HOUR) }];
      }
    } else if (edit === 0) Object.assign(item, { state: 'Blocked', statusCategory: 'in_progress', resolvedAt: undefined });
    else if (edit === 1) Object.assign(item, { state: 'Done', statusCategory: 'done', resolvedAt: iso(now - HOUR) });
    else if (edit === 2)
      Object.assign(item, {
        dueAt: iso(now - Math.floor(rand() * 20) * 24 * HOUR),
        statusCategory: 'todo',
        state: 'To Do',
        resolvedAt: undefined,
      });
    else if (edit === 3) Object.assign(item, { flagged: !item.flagged });
    else {
      item.assignees = [pick(people)];
      Object.assign(item, { state: 'In Progress', statusCategory: 'in_progress', resolvedAt: undefined });
      item.transitions = [
        ...(item.transitions ?? []),
        {
          at: iso(now - Math.floor(rand() * 60) * 24 * HOUR),
          from: 'To Do',
          to: 'In Progress',
          fromCategory: 'todo',
          toCategory: 'in_progress',
        },
      ];
    }
    edited.push(item);
  }
  const extra = Math.floor(rand() * 4);
  const repository = pick(bundle.repositories ?? []).id;
  return {
    format: 'teamstate.bundle/v1',
    workItems: edited,
    ...(extra === 0
      ? {
          deployments: [
            {
              id: `deploy-r${now}`,
              repository,
              environment: 'production',
              status: pick(['success', 'failure'] as const),
              finishedAt: iso(now - HOUR),
            },
          ],
        }
      : {}),
    ...(extra === 1
      ? { incidents: [{ id: `inc-r${now}`, title: 'Checkout errors', severity: 'sev1', createdAt: iso(now - 2 * HOUR), repository }] }
      : {}),
    ...(extra === 2
      ? {
          reports: [
            {
              person: pick(people),
              day: iso(now - 24 * HOUR).slice(0, 10),
              text: 'Worked on it.',
              blockers: rand() < 0.7 ? 'Waiting on review' : undefined,
            },
          ],
        }
      : {}),
  } as Bundle;
}

/** Every stored signal row, with when it was last seen as `list()` reads it (an open one: its kind's last refresh). */
async function rows(ts: TeamState) {
  return (
    await ts.store.execute(
      `SELECT signals.*, CASE WHEN status = 'open' THEN COALESCE((SELECT r.seen_at FROM signal_detector_runs r
         WHERE r.workspace = signals.workspace AND r.kind = signals.kind), last_seen_at) ELSE last_seen_at END AS seen
       FROM signals ORDER BY fingerprint`,
    )
  ).rows.map((row) => ({ ...row }));
}

/** The statements a refresh writes, with the rows each changed. */
function recordWrites(ts: TeamState) {
  const writes: { sql: string; rows: number }[] = [];
  const write = ts.store.write.bind(ts.store);
  const spy = vi.spyOn(ts.store, 'write').mockImplementation((fn) =>
    write((tx) =>
      fn(
        new Proxy(tx, {
          get(target, property) {
            if (property !== 'execute') return Reflect.get(target, property);
            return async (statement: Parameters<typeof target.execute>[0]) => {
              const result = await target.execute(statement);
              writes.push({ sql: typeof statement === 'string' ? statement : statement.sql, rows: result.rowsAffected });
              return result;
            };
          },
        }),
      ),
    ),
  );
  return { writes, restore: () => spy.mockRestore() };
}

describe('incremental signals refresh', () => {
  const open: TeamState[] = [];
  afterAll(async () => {
    for (const ts of open) await ts.close();
  });

  it('stores exactly what a full refresh stores, round after round of random changes, and finds what a fresh workspace finds', async () => {
    let now = START.getTime();
    const clock = () => new Date(now);
    const incremental = await createTeamState({ database: ':memory:', signals: builtinSignals, clock });
    const full = await createTeamState({ database: ':memory:', signals: builtinSignals, clock });
    open.push(incremental, full);
    const bundle = demoBundle({ now: START });
    // The demo writes no daily reports: a few people's (with blockers) let the report-based detectors find something.
    const reports = {
      format: 'teamstate.bundle/v1',
      reports: ['2026-11-18', '2026-11-19', '2026-11-20'].flatMap((day) =>
        (bundle.people ?? []).slice(0, 3).map((p) => ({ person: p.id, day, text: 'Refunds.', blockers: 'Vendor sandbox' })),
      ),
    } as const;
    for (const ts of [incremental, full]) {
      await ts.import(bundle);
      await ts.import(reports);
    }
    await incremental.signals.refresh();
    await full.signals.refresh({ full: true });
    expect(await rows(incremental)).toEqual(await rows(full));

    const rand = random(23);
    const history: Bundle[] = [];
    let skippedSomething = false;
    let ranSome = false;
    for (let round = 0; round < ROUNDS; round++) {
      // Now stays (a refresh again at once), or moves on by up to a day and a half.
      if (rand() < 0.6) now += Math.floor(rand() * 36) * HOUR;
      const change = rand() < 0.8 ? changes(bundle, rand, now) : undefined;
      if (change) {
        history.push(change);
        await incremental.import(change);
        await full.import(change);
      }
      const a = await incremental.signals.refresh();
      const b = await full.signals.refresh({ full: true });
      expect(b.skipped).toEqual([]);
      if (a.skipped.length > 0) skippedSomething = true;
      if (a.skipped.length < builtinSignals.length) ranSome = true;
      expect({ ...a, skipped: [] }, `round ${round}`).toEqual(b);
      expect(await rows(incremental), `round ${round}`).toEqual(await rows(full));
    }
    expect(skippedSomething).toBe(true);
    expect(ranSome).toBe(true);

    // From scratch: the final data in a fresh workspace, one refresh.
    const fresh = await createTeamState({ database: ':memory:', signals: builtinSignals, clock });
    open.push(fresh);
    await fresh.import(bundle);
    await fresh.import(reports);
    for (const change of history) await fresh.import(change);
    await fresh.signals.refresh();
    const openOf = async (ts: TeamState) =>
      (await rows(ts))
        .filter((r) => r.status === 'open')
        .map(({ fingerprint, severity, title, evidence, team_id }) => ({ fingerprint, severity, title, evidence, team_id }));
    const expected = await openOf(fresh);
    expect(expected.length).toBeGreaterThan(0);
    expect(await openOf(incremental)).toEqual(expected);
  });

  it('a refresh after a one-item write writes the signals rows of that item only, in a fixed number of statements', async () => {
    const ts = await createTeamState({ database: ':memory:', signals: builtinSignals, clock: () => START });
    open.push(ts);
    const bundle = demoBundle({ now: START });
    await ts.import(bundle);
    await ts.signals.refresh();
    const before = await ts.signals.list({ status: 'all', limit: 500 });
    expect(before.length).toBeGreaterThan(20);
    // An issue in progress that nothing flags yet: flagging it blocks it.
    const item = (bundle.workItems ?? []).find(
      (w) => w.kind !== 'pull_request' && w.statusCategory === 'in_progress' && !w.flagged && !/block/i.test(w.state),
    )!;
    expect(before.some((s) => s.subject.id === item.id && s.kind === 'item.blocked')).toBe(false);
    await ts.import({ format: 'teamstate.bundle/v1', workItems: [{ ...item, flagged: true }] });

    const { writes, restore } = recordWrites(ts);
    const result = await ts.signals.refresh();
    restore();
    expect(result).toMatchObject({ opened: 1, resolved: 0 });
    // The detectors that read work items ran again over all of them; what they stored changed for that item only.
    expect(result.skipped.length).toBeLessThan(builtinSignals.length);
    const onSignals = writes.filter((w) => /^\s*(INSERT INTO|UPDATE|DELETE FROM) signals\b/.test(w.sql));
    expect(onSignals.reduce((n, w) => n + w.rows, 0)).toBe(1);
    expect(writes.length).toBeLessThanOrEqual(6);
    const after = await ts.signals.list({ status: 'all', limit: 500 });
    const added = after.filter((s) => !before.some((b) => b.fingerprint === s.fingerprint));
    expect(added).toMatchObject([{ kind: 'item.blocked', subject: { type: 'work_item', id: item.id }, status: 'open' }]);
    // Every other signal reads as before (same now: seen now, as it was).
    const byFingerprint = (xs: typeof before) => [...xs].sort((a, b) => a.fingerprint.localeCompare(b.fingerprint));
    expect(byFingerprint(after.filter((s) => s !== added[0]))).toEqual(byFingerprint(before));
  });

  it('runs a data-driven detector again only when a table it reads changed, and a time-driven one when now moved', async () => {
    let now = START.getTime();
    const ts = await createTeamState({ database: ':memory:', signals: builtinSignals, clock: () => new Date(now) });
    open.push(ts);
    await ts.import(demoBundle({ now: START }));
    expect((await ts.signals.refresh()).skipped).toEqual([]);
    expect((await ts.signals.refresh()).skipped.sort()).toEqual(builtinSignals.map((d) => d.kind).sort());
    // A deployment: only the detectors that read deployments run again.
    await ts.import({
      format: 'teamstate.bundle/v1',
      deployments: [
        {
          id: 'deploy-x',
          repository: 'acme/payments-api',
          environment: 'production',
          status: 'failure',
          finishedAt: '2026-11-21T09:00:00Z',
        },
      ],
    });
    const after = await ts.signals.refresh();
    const ran = builtinSignals.map((d) => d.kind).filter((kind) => !after.skipped.includes(kind));
    expect(ran).toEqual(['deploy.failed']);
    expect(after.opened).toBe(1);
    // A minute later: the time-driven detectors run, the data-driven ones (nothing they read changed) do not.
    now += 60_000;
    const later = await ts.signals.refresh();
    expect(later.skipped.sort()).toEqual(['person.overloaded', 'pr.large', 'wip.over_limit']);
    // …unless a minute-old age is acceptable to the caller.
    now += 60_000;
    expect((await ts.signals.refresh({ maxAgeMs: 60_000 })).skipped).toHaveLength(builtinSignals.length);
    await expect(ts.signals.refresh({ maxAgeMs: -1 })).rejects.toThrow('maxAgeMs: expected a number of milliseconds ≥ 0, got -1');
  });

  it('runs a detector without `incremental` (a third party’s v1 detector) on every refresh', async () => {
    let calls = 0;
    const ts = await createTeamState({
      database: ':memory:',
      clock: () => START,
      signals: [
        {
          specificationVersion: 'v1',
          kind: 'custom.always',
          title: 'Always',
          description: 'Finds one signal about the workspace.',
          async detect() {
            calls++;
            return [{ severity: 'info', subject: { type: 'team', id: 'payments' }, title: 'Hello', evidence: {} }];
          },
        },
      ],
    });
    open.push(ts);
    await ts.signals.refresh();
    expect(await ts.signals.refresh()).toMatchObject({ open: 1, opened: 0, skipped: [] });
    expect(calls).toBe(2);
  });

  it('refuses a detector whose incremental declaration names an unknown table or driver, naming the field', async () => {
    const detector = (incremental: unknown) => ({
      specificationVersion: 'v1' as const,
      kind: 'custom.bad',
      title: 'Bad',
      description: 'Declares its inputs wrongly.',
      incremental: incremental as never,
      detect: async () => [],
    });
    await expect(
      createTeamState({ database: ':memory:', signals: [detector({ reads: ['work_itemz'], drivenBy: 'data' })] }),
    ).rejects.toThrow('signals: "custom.bad".incremental.reads: unknown table "work_itemz"');
    await expect(
      createTeamState({ database: ':memory:', signals: [detector({ reads: ['work_items'], drivenBy: 'clock' })] }),
    ).rejects.toThrow('signals: "custom.bad".incremental.drivenBy: expected one of data|time, got "clock"');
    await expect(createTeamState({ database: ':memory:', signals: [detector({ reads: [], drivenBy: 'data' })] })).rejects.toThrow(
      'signals: "custom.bad".incremental.reads: expected a non-empty list of tables',
    );
  });
});
