import { demo } from '@teamstate/connectors/demo';
import { type BundleInput, createTeamState, type TeamState } from '@teamstate/core';
import { builtinMetrics, builtinSignals } from '@teamstate/metrics';
import { afterEach, describe, expect, it } from 'vitest';
import { inMemoryPager, type PagerClient, type PagerIncident, pager } from './custom-connector.js';
import { approvalCoverage } from './custom-metric.js';
import { mergedWithoutApproval } from './custom-signal-detector.js';
import { unapprovedMerges } from './fixtures.js';

// The example files of docs/extending.md, used through createTeamState() on a real in-memory libSQL database.

const NOW = new Date('2026-03-10T12:00:00Z');
const unapproved = unapprovedMerges(NOW);
const DAY = 86_400_000;
let now = NOW;
const clock = () => now;

const open: TeamState[] = [];
async function teamState(options: Parameters<typeof createTeamState>[0]): Promise<TeamState> {
  const ts = await createTeamState({ database: ':memory:', clock, ...options });
  open.push(ts);
  return ts;
}
afterEach(async () => {
  for (const ts of open.splice(0)) await ts.close();
  now = NOW;
});

describe('custom connector (docs/examples/custom-connector.ts)', () => {
  const owners: BundleInput = {
    format: 'teamstate.bundle/v1',
    teams: [{ id: 'payments', name: 'Payments' }],
    people: [{ id: 'ana', name: 'Ana Garcia', teams: ['payments'], accounts: [] }],
    repositories: [{ id: 'acme/payments-api', team: 'payments' }],
  };
  const incidents = (): PagerIncident[] => [
    {
      id: 'P1',
      title: 'Card payments failing',
      urgency: 'high',
      service: 'payments-api',
      createdAt: '2026-03-01T10:00:00Z',
      updatedAt: '2026-03-01T12:00:00Z',
      resolvedAt: '2026-03-01T12:00:00Z',
    },
    {
      id: 'P2',
      title: 'Ledger export slow',
      urgency: 'low',
      service: 'ledger',
      createdAt: '2026-03-03T08:00:00Z',
      updatedAt: '2026-03-03T14:00:00Z',
      resolvedAt: '2026-03-03T14:00:00Z',
    },
    {
      id: 'P3',
      title: 'Refunds delayed',
      urgency: 'high',
      service: 'payments-api',
      createdAt: '2026-03-05T09:00:00Z',
      updatedAt: '2026-03-05T10:00:00Z',
      resolvedAt: '2026-03-05T10:00:00Z',
    },
    {
      id: 'P4',
      title: 'Flaky health check',
      urgency: 'low',
      service: 'search',
      createdAt: '2026-03-08T07:00:00Z',
      updatedAt: '2026-03-08T07:00:00Z',
    },
    {
      id: 'P5',
      title: 'Payouts stuck',
      urgency: 'high',
      service: 'payments-api',
      createdAt: '2026-03-09T20:00:00Z',
      updatedAt: '2026-03-09T20:05:00Z',
    },
  ];
  const repositoryOfService = { 'payments-api': 'acme/payments-api', ledger: 'acme/ledger' };

  /** The in-memory tool, recording the `updatedSince` of each list call and failing the calls listed in `failOn`. */
  function recordingClient(data: PagerIncident[], failOn: number[] = []) {
    const client = inMemoryPager(data, 2);
    const calls: (string | undefined)[] = [];
    const wrapped: PagerClient = {
      ...client,
      async listIncidents(query) {
        calls.push(query.updatedSince);
        if (failOn.includes(calls.length)) throw new Error('the on-call tool answered 503');
        return client.listIncidents(query);
      },
    };
    return { client: wrapped, calls, notes: client.notes };
  }

  it('syncs every page, and its incidents are readable, owned by the team of their repository, and measured', async () => {
    const { client } = recordingClient(incidents());
    const ts = await teamState({ connectors: [pager({ client, repositoryOfService })], metrics: builtinMetrics });
    await ts.import(owners);
    const result = await ts.sync();
    expect(result).toEqual({ ok: true, connectors: [{ connector: 'pager', status: 'succeeded', batches: 3, records: 5 }] });

    const stored = await ts.incidents.list();
    expect(stored.map((i) => i.id).sort()).toEqual(['pager-P1', 'pager-P2', 'pager-P3', 'pager-P4', 'pager-P5']);
    expect(stored.find((i) => i.id === 'pager-P1')).toMatchObject({ severity: 'sev1', repository: 'acme/payments-api' });
    // acme/ledger is not in the store, so P2 names no repository (a dangling reference would be refused).
    expect(stored.find((i) => i.id === 'pager-P2')?.repository).toBeUndefined();
    expect((await ts.incidents.list({ team: 'payments' })).map((i) => i.id).sort()).toEqual(['pager-P1', 'pager-P3', 'pager-P5']);

    // The built-in DORA metric reads them like any other incidents: p50 of 2 h, 6 h and 1 h.
    const { time_to_restore_service } = await ts.metrics.compute(['time_to_restore_service'], { from: '2026-03-01', to: '2026-03-10' });
    expect(time_to_restore_service).toMatchObject({ value: 2, count: 3 });
  });

  it('keeps the pages stored before a failure and resumes from its cursor; a later run reads only what changed', async () => {
    const data = incidents();
    const { client, calls } = recordingClient(data, [2]);
    const ts = await teamState({ connectors: [pager({ client, repositoryOfService })] });
    await ts.import(owners);

    const failed = await ts.sync();
    expect(failed.ok).toBe(false);
    expect(failed.connectors[0]).toMatchObject({
      status: 'failed',
      batches: 1,
      records: 2,
      error: { message: 'the on-call tool answered 503' },
    });
    expect((await ts.incidents.list()).map((i) => i.id).sort()).toEqual(['pager-P1', 'pager-P2']);

    const resumed = await ts.sync();
    expect(resumed.ok).toBe(true);
    expect(calls[2]).toBe('2026-03-03T14:00:00Z'); // the newest update stored by the failed run
    expect((await ts.incidents.list()).length).toBe(5);

    // P5 is resolved upstream: the next run asks only for what was updated since the last one.
    Object.assign(data[4]!, { updatedAt: '2026-03-10T09:00:00Z', resolvedAt: '2026-03-10T09:00:00Z' });
    calls.length = 0;
    expect((await ts.sync()).connectors[0]).toMatchObject({ status: 'succeeded', records: 1 });
    expect(calls).toEqual(['2026-03-09T20:05:00Z']);
    expect((await ts.incidents.list()).find((i) => i.id === 'pager-P5')?.resolvedAt).toBe('2026-03-10T09:00:00.000Z');
  });

  it("offers pager.incident.note: proposed, approved by a person, executed once with the approval's idempotency key", async () => {
    const { client, notes } = recordingClient(incidents());
    const ts = await teamState({ connectors: [pager({ client, repositoryOfService })] });
    await ts.import(owners);
    expect(ts.actions.list().map((a) => a.type)).toEqual(['pager.incident.note']);

    const proposed = await ts.actions.propose({
      type: 'pager.incident.note',
      target: 'P5',
      params: { incident: 'P5', text: 'Rolled back deploy-101; payouts are draining' },
      reason: 'The user asked me to note the rollback on the incident',
      requestedBy: 'assistant',
    });
    expect(proposed).toMatchObject({ status: 'pending', mode: 'ask', risk: 'low' });
    await expect(ts.approvals.decide(proposed.id, { decision: 'approve', by: 'assistant' })).rejects.toMatchObject({
      code: 'unknown_approver',
    });

    // This instance has the connector, so deciding also runs the action.
    const decided = await ts.approvals.decide(proposed.id, { decision: 'approve', by: 'ana' });
    expect(decided).toMatchObject({ status: 'executed', decidedBy: 'ana', result: { noteId: `note-${proposed.idempotencyKey}` } });
    expect([...notes.values()]).toEqual([{ incident: 'P5', text: 'Rolled back deploy-101; payouts are draining' }]);

    // The precondition refuses a note on a resolved incident, and nothing is stored.
    await expect(
      ts.actions.propose({
        type: 'pager.incident.note',
        target: 'P1',
        params: { incident: 'P1', text: 'x' },
        reason: 'r',
        requestedBy: 'assistant',
      }),
    ).rejects.toMatchObject({ code: 'precondition_failed' });
    expect((await ts.audit.verify()).ok).toBe(true);
  });
});

/** Two pull requests merged without another person's approval, added to the demo organisation. */

/** Keys of pull requests merged in `[from, to)` and whether another person approved them, from the exported bundle. */
async function mergedPullRequests(ts: TeamState, from: number, to: number, team?: string) {
  const bundle = await ts.export();
  const ofTeam = new Set(bundle.repositories.filter((r) => r.team === team).map((r) => r.id));
  return bundle.workItems
    .filter((w) => w.kind === 'pull_request' && w.mergedAt !== undefined)
    .filter((w) => Date.parse(w.mergedAt!) >= from && Date.parse(w.mergedAt!) < to)
    .filter((w) => team === undefined || (w.repository !== undefined && ofTeam.has(w.repository)))
    .map((w) => ({ id: w.id, approved: (w.reviews ?? []).some((r) => r.state === 'approved' && r.reviewer !== w.author) }));
}

describe('custom metric (docs/examples/custom-metric.ts)', () => {
  it('is registered next to the built-in ones and equals an independent computation from the exported data', async () => {
    const ts = await teamState({ connectors: [demo()], metrics: [...builtinMetrics, approvalCoverage] });
    await ts.sync();
    await ts.import(unapproved);
    expect(ts.metrics.list().map((m) => m.id)).toContain('approval_coverage');

    const from = NOW.getTime() - 30 * DAY;
    const window = { from: new Date(from).toISOString(), to: NOW.toISOString() };
    for (const team of [undefined, 'payments', 'growth']) {
      const expected = await mergedPullRequests(ts, from, NOW.getTime(), team);
      const approved = expected.filter((pr) => pr.approved).length;
      const { approval_coverage } = await ts.metrics.compute(['approval_coverage'], { ...window, team });
      expect(expected.length).toBeGreaterThan(10);
      expect(approval_coverage).toEqual({
        value: approved / expected.length,
        unit: 'ratio',
        approved,
        merged: expected.length,
        unapproved: expected.length - approved,
      });
      if (team !== 'growth') expect(approval_coverage!.value).toBeLessThan(1);
    }

    const explained = await ts.metrics.explain('approval_coverage', { ...window, team: 'payments' });
    expect(explained.rows.filter((row) => row.approved === false).map((row) => row.key)).toEqual([
      'acme/ledger#901',
      'acme/payments-api#900',
    ]);

    // Nothing merged in the window: null, never 0.
    const empty = await ts.metrics.compute(['approval_coverage'], { from: '2020-01-01', to: '2020-02-01' });
    expect(empty.approval_coverage).toMatchObject({ value: null, merged: 0 });
  });
});

describe('custom signal detector (docs/examples/custom-signal-detector.ts)', () => {
  it('finds what an independent computation finds, with stable fingerprints: refreshing again never duplicates, and it resolves', async () => {
    const ts = await teamState({ connectors: [demo()], signals: [...builtinSignals, mergedWithoutApproval] });
    await ts.sync();
    await ts.import(unapproved);
    const kind = 'pr.merged_without_approval';
    const expected = (await mergedPullRequests(ts, NOW.getTime() - 14 * DAY, NOW.getTime() + 1))
      .filter((pr) => !pr.approved)
      .map((pr) => `${kind}:work_item:${pr.id}`)
      .sort();
    expect(expected).toEqual([`${kind}:work_item:pr-hotfix-1`, `${kind}:work_item:pr-self-approved`]);

    const first = await ts.signals.refresh();
    expect(first.byKind[kind]).toBe(2);
    const found = await ts.signals.list({ kind });
    expect(found.map((s) => s.fingerprint).sort()).toEqual(expected);
    expect(found.find((s) => s.subject.id === 'pr-self-approved')).toMatchObject({
      severity: 'critical',
      team: 'payments',
      title: 'acme/ledger#901 was merged without an approval by anyone but its author',
      evidence: { key: 'acme/ledger#901', author: 'ben-tanaka', lines: 1020 },
    });
    expect(found.find((s) => s.subject.id === 'pr-hotfix-1')?.severity).toBe('warning');

    now = new Date(NOW.getTime() + 60_000);
    const again = await ts.signals.refresh();
    expect(again.opened).toBe(0);
    const listed = await ts.signals.list({ kind, status: 'all' });
    expect(listed.map((s) => [s.fingerprint, s.firstSeenAt])).toEqual(found.map((s) => [s.fingerprint, s.firstSeenAt]));

    // Another person approves the hotfix after the fact: the next refresh resolves its signal.
    const [hotfix] = unapproved.workItems!;
    await ts.import({
      format: 'teamstate.bundle/v1',
      workItems: [{ ...hotfix!, reviews: [{ reviewer: 'chloe-eze', state: 'approved', submittedAt: NOW.toISOString() }] }],
    });
    expect((await ts.signals.refresh()).resolved).toBe(1);
    expect((await ts.signals.list({ kind })).map((s) => s.subject.id)).toEqual(['pr-self-approved']);
    expect((await ts.signals.list({ kind, status: 'resolved' })).map((s) => s.subject.id)).toEqual(['pr-hotfix-1']);
  });

  it('applies per-team thresholds', async () => {
    const ts = await teamState({
      connectors: [demo()],
      signals: [mergedWithoutApproval],
      signalSettings: {
        thresholds: { 'pr.merged_without_approval': { days: 2 } },
        teams: { payments: { 'pr.merged_without_approval': { days: 30 } } },
      },
    });
    await ts.sync();
    await ts.import(unapproved);
    await ts.signals.refresh();
    expect((await ts.signals.list({ kind: 'pr.merged_without_approval' })).length).toBe(2);
  });
});
