import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTeamState, type SignalDetector, type TeamState, TeamStateError, type TeamStateOptions } from '../src/index.js';

// The risk register (docs/hub.md#risk-register): changes are actions through the policy and the ledger records them.

let ts: TeamState;
let now: number;

// A detector that finds one blocked item, so a risk can be recorded from a real stored signal.
const blocked: SignalDetector = {
  specificationVersion: 'v1',
  kind: 'item.blocked',
  title: 'Blocked item',
  description: 'A test detector: PAY-1 is blocked.',
  async detect() {
    return [
      {
        severity: 'warning',
        subject: { type: 'work_item', id: 'jira:PAY-1' },
        team: 'payments',
        title: 'PAY-1 has been Blocked for 4 days',
        evidence: { status: 'Blocked', days: 4 },
      },
    ];
  },
};

async function open(options: TeamStateOptions = {}) {
  ts = await createTeamState({ database: ':memory:', clock: () => new Date(now), signals: [blocked], ...options });
  await ts.import({
    format: 'teamstate.bundle/v1',
    teams: [
      { id: 'payments', name: 'Payments' },
      { id: 'growth', name: 'Growth' },
    ],
    people: [
      { id: 'ana', name: 'Ana', teams: ['payments'] },
      { id: 'cleo', name: 'Cleo', teams: ['growth'] },
    ],
    repositories: [{ id: 'acme/api', team: 'payments' }],
    workItems: [
      {
        id: 'jira:PAY-1',
        source: 'jira',
        kind: 'story',
        key: 'PAY-1',
        title: 'Card processor migration',
        state: 'Blocked',
        team: 'payments',
        createdAt: '2026-03-01T09:00:00Z',
      },
    ],
    incidents: [{ id: 'inc-7', title: 'Refunds failing', severity: 'sev1', createdAt: '2026-03-17T08:00:00Z', repository: 'acme/api' }],
  });
}

beforeEach(async () => {
  now = Date.parse('2026-03-18T10:00:00Z');
  await open();
});
afterEach(() => ts.close());

async function failure(promise: Promise<unknown>) {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!TeamStateError.isInstance(error)) throw new Error(`expected a TeamStateError, got ${String(error)}`);
  return error;
}
const snapshot = async () => ({
  risks: (await ts.store.execute('SELECT * FROM risks ORDER BY id')).rows,
  approvals: (await ts.store.execute('SELECT count(*) AS n FROM approvals')).rows[0]!.n,
  audit: (await ts.store.execute('SELECT count(*) AS n FROM audit_events')).rows[0]!.n,
});

describe('ts.risks', () => {
  it('records a risk through risk.create (built-in policy: auto, low risk), and the ledger verifies with it', async () => {
    const { approval, risk } = await ts.risks.create(
      { team: 'payments', title: 'Card processor sunset in June', severity: 'high', owner: 'ana', reviewBy: '2026-03-25' },
      { requestedBy: 'ana' },
    );
    expect(approval).toMatchObject({ type: 'risk.create', status: 'executed', mode: 'auto', risk: 'low', requestedBy: 'ana' });
    expect(risk).toEqual({
      id: expect.stringMatching(/^risk_[0-9a-f]{12}$/),
      team: 'payments',
      title: 'Card processor sunset in June',
      severity: 'high',
      likelihood: 'medium',
      owner: 'ana',
      status: 'open',
      reviewBy: '2026-03-25',
      source: 'manual',
      evidence: [],
      createdAt: '2026-03-18T10:00:00.000Z',
      updatedAt: '2026-03-18T10:00:00.000Z',
    });
    expect(await ts.risks.get(risk!.id)).toEqual(risk);
    expect(await ts.risks.list()).toEqual([risk]);

    now += 3_600_000;
    const updated = await ts.risks.update(risk!.id, { status: 'mitigating', mitigation: 'Migrate to the new API' }, { requestedBy: 'ana' });
    expect(updated.risk).toMatchObject({
      status: 'mitigating',
      mitigation: 'Migrate to the new API',
      updatedAt: '2026-03-18T11:00:00.000Z',
    });
    const closed = await ts.risks.close(risk!.id, { reason: 'Migrated' }, { requestedBy: 'ana' });
    expect(closed.risk?.status).toBe('closed');
    expect(await ts.risks.list()).toEqual([]);
    expect((await ts.risks.list({ status: 'all' })).map((r) => r.id)).toEqual([risk!.id]);

    const verified = await ts.audit.verify();
    expect(verified.ok).toBe(true);
    const ledger = await ts.audit.list({ limit: 100 });
    const executed = ledger.filter((e) => e.type === 'approval.executed');
    expect(executed.map((e) => (e.data.result as { status: string }).status)).toEqual(['open', 'mitigating', 'closed']);
    const proposed = ledger.filter((e) => e.type === 'approval.proposed').map((e) => e.data.type);
    expect(proposed).toEqual(['risk.create', 'risk.update', 'risk.close']);
    expect(ledger.find((e) => e.data.type === 'risk.close')?.data.reason).toBe('Migrated');
  });

  it('copies the evidence of the signal or incident it is created from, and takes its team', async () => {
    await ts.signals.refresh();
    const [signal] = await ts.signals.list();
    const fromSignal = await ts.risks.create(
      { title: 'The card migration may slip', severity: 'high', source: `signal:${signal!.fingerprint}` },
      { requestedBy: 'assistant', onBehalfOf: 'ana' },
    );
    expect(fromSignal.risk).toMatchObject({
      team: 'payments',
      source: `signal:${signal!.fingerprint}`,
      evidence: [
        {
          kind: 'signal',
          ref: signal!.fingerprint,
          title: 'PAY-1 has been Blocked for 4 days',
          data: { kind: 'item.blocked', status: 'Blocked', days: 4 },
        },
        { kind: 'work_item', ref: 'jira:PAY-1' },
      ],
    });
    const fromIncident = await ts.risks.create(
      { title: 'Refund retries', severity: 'critical', source: 'incident:inc-7' },
      { requestedBy: 'ana' },
    );
    expect(fromIncident.risk).toMatchObject({
      team: 'payments',
      source: 'incident:inc-7',
      evidence: [{ kind: 'incident', ref: 'inc-7', title: 'Refunds failing', at: '2026-03-17T08:00:00.000Z', data: { severity: 'sev1' } }],
    });
    // The most severe first.
    expect((await ts.risks.list({ team: 'payments' })).map((r) => r.severity)).toEqual(['critical', 'high']);
  });

  it('refuses bad input naming the field and leaves the store unchanged', async () => {
    const before = await snapshot();
    const by = { requestedBy: 'ana' };
    const cases: [Promise<unknown>, RegExp][] = [
      [ts.risks.create({ team: 'payments', title: 'x', severity: 'huge' as 'high' }, by), /severity/],
      [ts.risks.create({ team: 'payments', title: '   ', severity: 'low' }, by), /title/],
      [
        ts.risks.create({ team: 'paymnets', title: 'x', severity: 'low' }, by),
        /^team: unknown team "paymnets" \(did you mean "payments"\?\)/,
      ],
      [ts.risks.create({ team: 'payments', title: 'x', severity: 'low', owner: 'zed' }, by), /^owner: unknown person "zed"/],
      [ts.risks.create({ team: 'payments', title: 'x', severity: 'low', reviewBy: '2026-02-30' }, by), /reviewBy/],
      [ts.risks.create({ title: 'x', severity: 'low' }, by), /^team: required/],
      [ts.risks.create({ title: 'x', severity: 'low', source: 'signal:nope' }, by), /^source: no signal "nope"/],
      [ts.risks.create({ title: 'x', severity: 'low', source: 'incident:inc-9' }, by), /^source: unknown incident "inc-9"/],
      [ts.risks.create({ title: 'x', severity: 'low', source: 'rumour' }, by), /source/],
      [ts.risks.update('risk_missing', { status: 'accepted' }, by), /^id: unknown risk "risk_missing"/],
      [ts.risks.list({ status: 'gone' as 'open' }), /^status: expected open, all/],
    ];
    for (const [promise, message] of cases) {
      const error = await failure(promise);
      expect(error.code, message.source).toBe('invalid_argument');
      expect(error.message).toMatch(message);
    }
    const { risk } = await ts.risks.create({ team: 'payments', title: 'x', severity: 'low' }, by);
    const kept = await snapshot();
    expect((await failure(ts.risks.update(risk!.id, {}, by))).message).toMatch(/nothing to change/);
    expect((await failure(ts.risks.update(risk!.id, { status: 'done' as 'open' }, by))).message).toMatch(/status/);
    expect((await failure(ts.risks.update(risk!.id, { owner: 'zed' }, by))).message).toMatch(/^owner: unknown person/);
    expect(await snapshot()).toEqual(kept);
    expect(before.risks).toEqual([]);
  });

  it('lets an assistant propose a change that waits for a person when the policy says ask', async () => {
    await ts.close();
    await open({ policy: { actions: { 'risk.*': { mode: 'ask' } } } });
    const { approval, risk } = await ts.risks.create(
      { team: 'payments', title: 'Vendor contract ends', severity: 'medium' },
      { requestedBy: 'assistant', onBehalfOf: 'cleo', reason: 'Seen in the standup' },
    );
    expect(approval).toMatchObject({ status: 'pending', type: 'risk.create', onBehalfOf: 'cleo', reason: 'Seen in the standup' });
    expect(risk).toBeUndefined();
    expect(await ts.risks.list()).toEqual([]);
    const decided = await ts.approvals.decide(approval.id, { decision: 'approve', by: 'ana' });
    const executed = decided.status === 'executed' ? decided : await ts.approvals.execute(approval.id);
    expect(executed.status).toBe('executed');
    expect((await ts.risks.list()).map((r) => r.title)).toEqual(['Vendor contract ends']);
    expect((await ts.audit.verify()).ok).toBe(true);
  });

  it('goes through ts.actions.propose like any action, and the bundle carries the register both ways', async () => {
    const approval = await ts.actions.propose({
      type: 'risk.create',
      target: 'team:growth',
      params: { team: 'growth', title: 'Only one person knows the funnel', severity: 'medium', likelihood: 'high', owner: 'cleo' },
      reason: 'bus factor',
      requestedBy: 'assistant',
    });
    expect(approval.status).toBe('executed');
    // teamstate's own action types: proposable like any, ruled by the policy (built-in auto, low), not a connector's list.
    expect(ts.policy.resolve({ type: 'risk.close', risk: 'low' })).toMatchObject({ mode: 'auto', risk: 'low' });
    expect(ts.actions.list().map((a) => a.type)).not.toContain('risk.close');
    const bundle = await ts.export();
    expect(bundle.risks).toEqual([expect.objectContaining({ team: 'growth', owner: 'cleo', likelihood: 'high' })]);
    const other = await createTeamState({ database: ':memory:', clock: () => new Date(now) });
    try {
      await other.import(bundle);
      expect(await other.risks.list({ status: 'all' })).toEqual(await ts.risks.list({ status: 'all' }));
      const again = await other.import(bundle);
      expect(await other.risks.list({ status: 'all' })).toHaveLength(1);
      expect(again).toBeDefined();
      const bad = await failure(
        other.import({
          format: 'teamstate.bundle/v1',
          risks: [{ id: 'r1', team: 'nope', title: 't', severity: 'low', createdAt: '2026-03-01T00:00:00Z' }],
        }),
      );
      expect(bad.message).toMatch(/risks\[0\]\.team/);
    } finally {
      await other.close();
    }
  });
});
