import { afterEach, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import {
  type Connector,
  createTeamState,
  defineActionType,
  runNudges,
  type SignalDetector,
  type TeamState,
  TeamStateError,
} from '../src/index.js';
import { testConnector } from '../src/testing/index.js';

// Working agreements (issue 50) through the SDK: the policy's `agreements:` validated with the field named, signals'
// ack and snooze, and `ts.agreements.report()`. The Slack side (messages, buttons, restarts, two processes) is in
// packages/connectors/test/slack-nudges.test.ts.
let now = new Date('2026-03-02T10:00:00Z'); // a Monday
let ts: TeamState | undefined;
afterEach(async () => {
  await ts?.close();
  ts = undefined;
});

/** Signals as a third party's detector finds them: one per id in `open`. */
const open = new Set<string>();
const blocked: SignalDetector = {
  specificationVersion: 'v1',
  kind: 'item.stuck',
  title: 'Stuck item',
  description: 'A work item that does not move.',
  async detect() {
    return [...open].map((id) => ({
      severity: 'warning' as const,
      subject: { type: 'person' as const, id },
      team: 'pay',
      title: `${id} is stuck`,
      evidence: {},
    }));
  },
};

const sent: string[] = [];
/** A stand-in for Slack's direct messages: records what it was asked to send. */
const dm: Connector = testConnector({
  id: 'slack',
  actions: [
    defineActionType({
      type: 'slack.dm.send',
      description: 'Send a direct message',
      risk: 'low',
      params: z.strictObject({ user: z.string(), text: z.string(), blocks: z.array(z.unknown()).optional() }),
      async execute(params) {
        sent.push(params.user);
        return { sent: true };
      },
    }),
  ],
});

const bundle = {
  format: 'teamstate.bundle/v1',
  teams: [{ id: 'pay', name: 'Payments' }],
  people: ['ana', 'ben', ...Array.from({ length: 30 }, (_, i) => `p${i}`)].map((id) => ({
    id,
    name: id,
    teams: ['pay'],
    accounts: [{ provider: 'slack', id: `U0${id.toUpperCase()}` }],
  })),
};

const agreement = { id: 'unstick', signal: 'item.stuck', after: '4h', notify: 'author' };

async function start(policy: Record<string, unknown> = { agreements: [agreement] }) {
  ts = await createTeamState({
    database: ':memory:',
    clock: () => now,
    signals: [blocked],
    connectors: [dm],
    policy: { actions: { 'slack.dm.send': { mode: 'auto' } }, ...policy },
  });
  await ts.import(bundle);
  return ts;
}

async function refused(policy: unknown): Promise<string> {
  try {
    ts = await createTeamState({ database: ':memory:', signals: [blocked], policy: policy as never });
  } catch (error) {
    expect(TeamStateError.isInstance(error) && error.code).toBe('invalid_policy');
    return (error as Error).message;
  }
  throw new Error('the policy was accepted');
}

describe('agreements in the policy', () => {
  it('refuses a bad agreement, naming the field', async () => {
    expect(await refused({ agreements: [{ id: 'a', signal: 'item.stuck', notify: 'author' }] })).toContain(
      'policy.agreements[0].after: is required',
    );
    expect(await refused({ agreements: [{ ...agreement, notify: 'boss' }] })).toMatch(
      /policy\.agreements\[0\]\.notify: expected one of author\|assignee\|reviewers\|team\|leads/,
    );
    expect(await refused({ agreements: [{ ...agreement, after: 'a day' }] })).toContain('policy.agreements[0].after: expected a duration');
    expect(await refused({ agreements: [{ ...agreement, escalate: { after: '2h', notify: 'leads' } }] })).toContain(
      'policy.agreements[0].escalate.after: must be longer than after (4h)',
    );
    expect(await refused({ agreements: [{ ...agreement, escalate: { after: '8h', notify: 'leads', to: 'x' } }] })).toContain(
      'policy.agreements[0].escalate.to: unknown key',
    );
    expect(await refused({ agreements: [agreement, agreement] })).toContain('policy.agreements[1].id: "unstick" is used twice');
    expect(await refused({ agreements: [{ ...agreement, signal: 'item.stuk' }] })).toContain(
      'policy.agreements[0].signal: no signal detector of kind "item.stuk"',
    );
    // A misspelt kind gets the closest one.
    expect(await refused({ agreements: [{ ...agreement, signal: 'itme.stuck' }] })).toContain(
      'policy.agreements[0].signal: no signal detector of kind "itme.stuck" (did you mean "item.stuck"?)',
    );
  });

  it('accepts notify as a list and lists the agreements', async () => {
    const ts = await start({ agreements: [{ ...agreement, notify: ['author', 'leads'], teams: ['pay'] }] });
    expect(ts.agreements.list()).toEqual([{ ...agreement, notify: ['author', 'leads'], teams: ['pay'] }]);
  });
});

describe('the nudges pass', () => {
  afterEach(() => {
    now = new Date('2026-03-02T10:00:00Z');
  });

  it('writes a pass’s nudges in one transaction, each with its own approval and ledger entry', async () => {
    open.clear();
    for (let i = 0; i < 30; i++) open.add(`p${i}`);
    now = new Date('2026-03-02T10:00:00Z');
    const ts = await start({ actions: { 'slack.dm.send': { mode: 'ask' } }, agreements: [agreement] });
    await ts.signals.refresh();
    now = new Date('2026-03-02T15:00:00Z');
    const writes = vi.spyOn(ts.store, 'write');
    const round = await runNudges(ts);
    expect(round.sent).toHaveLength(30);
    expect(new Set(round.sent.map((nudge) => nudge.recipient)).size).toBe(30);
    expect(round.sent.every((nudge) => nudge.status === 'pending')).toBe(true);
    // When the agreement started; then the 30 claims, approvals and ledger entries: not one transaction per nudge.
    expect(writes).toHaveBeenCalledTimes(2);
    const entries = await ts.audit.list({ type: 'approval.proposed', limit: 1000 });
    expect(entries.map((entry) => entry.approvalId).sort()).toEqual(round.sent.map((nudge) => nudge.approval).sort());
    expect(new Set(entries.map((entry) => entry.seq)).size).toBe(30);
    expect(await ts.audit.verify()).toMatchObject({ ok: true, entries: 30 });
    // Each claim records its nudge's approval.
    const { rows: claims } = await ts.store.execute('SELECT recipient, approval_id FROM agreement_nudges ORDER BY recipient');
    expect(claims.map((row) => [row.recipient, row.approval_id])).toEqual(
      round.sent.map((nudge) => [nudge.recipient, nudge.approval]).sort((a, b) => a[0]!.localeCompare(b[0]!)),
    );
    const pending = await ts.approvals.list({ status: 'pending', limit: 100 });
    expect(pending.map((approval) => approval.target).sort()).toEqual(round.sent.map((nudge) => nudge.recipient).sort());
    // Nothing new: nothing proposed, nothing written.
    writes.mockClear();
    expect((await runNudges(ts)).sent).toEqual([]);
    expect(writes).not.toHaveBeenCalled();
    writes.mockRestore();
    expect(await ts.approvals.list({ limit: 100 })).toHaveLength(30);
  });

  it('claims no nudge whose proposal fails, sends the others, and proposes it in a later pass', async () => {
    open.clear();
    for (const id of ['ana', 'ben', 'p0']) open.add(id);
    sent.length = 0;
    let refuse = true;
    // Slack's DMs, whose precondition refuses Ben for now (an error of the proposal, not a policy's denial).
    const picky = testConnector({
      id: 'slack',
      actions: [
        defineActionType({
          type: 'slack.dm.send',
          description: 'Send a direct message',
          risk: 'low',
          params: z.strictObject({ user: z.string(), text: z.string(), blocks: z.array(z.unknown()).optional() }),
          async precondition(params) {
            return refuse && params.user === 'U0BEN' ? { ok: false, reason: 'U0BEN cannot be reached' } : { ok: true };
          },
          async execute(params) {
            sent.push(params.user);
            return { sent: true };
          },
        }),
      ],
    });
    now = new Date('2026-03-02T10:00:00Z');
    ts = await createTeamState({
      database: ':memory:',
      clock: () => now,
      signals: [blocked],
      connectors: [picky],
      policy: { actions: { 'slack.dm.send': { mode: 'auto' } }, agreements: [agreement] as never },
    });
    await ts.import(bundle);
    await ts.signals.refresh();
    now = new Date('2026-03-02T15:00:00Z');
    const round = await runNudges(ts);
    expect(round.sent.map((nudge) => [nudge.recipient, nudge.status]).sort()).toEqual([
      ['ana', 'executed'],
      ['p0', 'executed'],
    ]);
    expect(round.failed).toEqual([
      { agreement: 'unstick', signal: 'item.stuck:person:ben', recipient: 'ben', error: 'slack.dm.send: U0BEN cannot be reached' },
    ]);
    expect(sent.sort()).toEqual(['U0ANA', 'U0P0']);
    // Ben was not claimed; the others' claims hold their approvals.
    const { rows: claims } = await ts.store.execute(
      'SELECT recipient, approval_id IS NOT NULL AS proposed FROM agreement_nudges ORDER BY recipient',
    );
    expect(claims.map((row) => [row.recipient, row.proposed])).toEqual([
      ['ana', 1],
      ['p0', 1],
    ]);
    refuse = false;
    const retried = await runNudges(ts);
    expect(retried.sent).toMatchObject([{ recipient: 'ben', status: 'executed' }]);
    expect(retried.failed).toEqual([]);
    expect(sent.sort()).toEqual(['U0ANA', 'U0BEN', 'U0P0']);
    expect((await runNudges(ts)).sent).toEqual([]);
    expect(await ts.audit.verify()).toMatchObject({ ok: true });
  });
});

describe('nudges about a wellbeing signal', () => {
  afterEach(() => {
    now = new Date('2026-03-02T10:00:00Z');
  });
  // Ana worked after hours: a wellbeing signal, which by default only she and her teams' leads may read. The
  // detector files it under team growth, whose lead Gil is not one of Ana's leads.
  const lateNights: SignalDetector = {
    specificationVersion: 'v1',
    kind: 'person.after_hours',
    title: 'After-hours work',
    description: 'A test detector: Ana worked after hours.',
    wellbeing: true,
    async detect() {
      return [
        {
          severity: 'info',
          subject: { type: 'person', id: 'ana' },
          team: 'growth',
          title: 'Ana worked after hours on 5 days',
          evidence: {},
        },
      ];
    },
  };

  it('reaches only who may read the person’s wellbeing, never a channel, and its approval is withheld from others', async () => {
    sent.length = 0;
    now = new Date('2026-03-02T10:00:00Z');
    ts = await createTeamState({
      database: ':memory:',
      clock: () => now,
      signals: [lateNights],
      connectors: [dm],
      policy: {
        actions: { 'slack.dm.send': { mode: 'auto' } },
        agreements: [
          {
            id: 'rest',
            signal: 'person.after_hours',
            teams: ['growth'],
            after: '4h',
            notify: ['author', 'leads', 'team'],
            channel: 'C0GROWTH',
          },
        ],
      },
    });
    await ts.import({
      format: 'teamstate.bundle/v1',
      teams: [
        { id: 'pay', name: 'Payments', leads: ['ben'] },
        { id: 'growth', name: 'Growth', leads: ['gil'] },
      ],
      people: [
        { id: 'ana', teams: ['pay'] },
        { id: 'ben', teams: ['pay'] },
        { id: 'gil', teams: ['growth'] },
        { id: 'dan', teams: ['pay'] },
      ].map((p) => ({ ...p, name: p.id, accounts: [{ provider: 'slack', id: `U0${p.id.toUpperCase()}` }] })),
    });
    await ts.signals.refresh();
    now = new Date('2026-03-02T15:00:00Z');
    const round = await runNudges(ts);
    expect(round.sent.map((nudge) => nudge.recipient)).toEqual(['ana']);
    expect(round.skipped).toEqual([
      { agreement: 'rest', signal: 'person.after_hours:person:ana', stage: 'nudge', recipient: 'team', reason: 'wellbeing' },
      { agreement: 'rest', signal: 'person.after_hours:person:ana', stage: 'nudge', recipient: 'gil', reason: 'wellbeing' },
    ]);
    expect(sent).toEqual(['U0ANA']);

    // Approvals are readable to everyone; the message about Ana's wellbeing only to whoever may read it.
    const leak = /after hours|person:ana/;
    for (const other of ['dan', 'gil']) {
      const [nudge] = await ts.as(other).approvals.list({ type: 'slack.dm.send' });
      expect(nudge).toMatchObject({ target: 'ana', params: { user: 'U0ANA' } });
      expect(JSON.stringify(nudge)).not.toMatch(leak);
      expect(JSON.stringify(await ts.as(other).approvals.get(nudge!.id))).not.toMatch(leak);
    }
    for (const reader of [ts.as('ana'), ts.as('ben'), ts]) {
      const [nudge] = await reader.approvals.list({ type: 'slack.dm.send' });
      expect(nudge?.params.text).toMatch(/Ana worked after hours on 5 days/);
    }
  });
});

describe('signals: ack and snooze', () => {
  it('acknowledges and snoozes as a person, refusing what it cannot do with the field named', async () => {
    open.clear();
    open.add('ana');
    const ts = await start();
    await ts.signals.refresh();
    const id = 'item.stuck:person:ana';
    await expect(ts.signals.ack('item.stuck:person:nobody', { by: 'ana' })).rejects.toThrow(/signal: no signal "item.stuck:person:nobody"/);
    await expect(ts.signals.ack(id, { by: 'zed' })).rejects.toThrow(/by: unknown person "zed"/);
    await expect(ts.signals.snooze(id, { by: 'ana', for: 'soon' })).rejects.toThrow(/for: expected a duration/);
    expect(await ts.signals.get(id)).not.toHaveProperty('ack');
    const snoozed = await ts.signals.snooze(id, { by: 'ben', for: '2d' });
    expect(snoozed).toMatchObject({ snoozedUntil: '2026-03-04T10:00:00.000Z', owner: 'ben' });
    const acked = await ts.signals.ack(id, { by: 'ana' });
    expect(acked).toMatchObject({ ack: { by: 'ana', at: now.toISOString() }, owner: 'ana' });
    expect((await ts.signals.list())[0]).toMatchObject({ fingerprint: id, ack: { by: 'ana' } });
    // Resolved, then open again: a new occurrence, unacknowledged.
    open.clear();
    now = new Date('2026-03-02T11:00:00Z');
    await ts.signals.refresh();
    await expect(ts.signals.ack(id, { by: 'ana' })).rejects.toThrow(/already resolved/);
    open.add('ana');
    now = new Date('2026-03-02T12:00:00Z');
    await ts.signals.refresh();
    const reopened = await ts.signals.get(id);
    expect(reopened).not.toHaveProperty('ack');
    expect(reopened).not.toHaveProperty('owner');
  });
});

describe('ts.agreements.report()', () => {
  it('counts breaches, nudges, the share acted on within 24 h and compares time to resolve before and after', async () => {
    open.clear();
    sent.length = 0;
    now = new Date('2026-03-02T09:00:00Z');
    const ts = await start();
    const at = (iso: string) => {
      now = new Date(iso);
    };
    // Before the agreement: ten signals open 10 hours each.
    for (let i = 0; i < 10; i++) open.add(`p${i}`);
    await ts.signals.refresh();
    at('2026-03-02T19:00:00Z');
    open.clear();
    await ts.signals.refresh();
    let window = { from: '2026-03-01T00:00:00Z', to: '2026-04-01T00:00:00Z' };
    const early = await ts.agreements.report(window);
    expect(early.agreements[0]).toMatchObject({ startedAt: null, breaches: 10, nudges: { total: 0 } });
    expect(early.agreements[0]!.timeToResolve.verdict).toMatch(/^not enough data/);
    // The agreement starts with the first pass (Tuesday 09:00 UTC, in working hours).
    at('2026-03-03T09:00:00Z');
    expect((await runNudges(ts)).sent).toEqual([]);
    // After: ten signals, nudged after 4 hours; five resolved 1 hour after the nudge, five left for two days.
    for (let i = 10; i < 20; i++) open.add(`p${i}`);
    await ts.signals.refresh();
    at('2026-03-03T13:00:00Z');
    const round = await runNudges(ts);
    expect(round.sent).toHaveLength(10);
    expect(sent).toHaveLength(10);
    at('2026-03-03T14:00:00Z');
    for (let i = 10; i < 15; i++) open.delete(`p${i}`);
    await ts.signals.refresh();
    at('2026-03-05T13:00:00Z');
    open.clear();
    await ts.signals.refresh();
    const report = await ts.agreements.report({ ...window, minSample: 5 });
    const [unstick] = report.agreements;
    expect(unstick).toMatchObject({
      id: 'unstick',
      signal: 'item.stuck',
      startedAt: '2026-03-03T09:00:00.000Z',
      breaches: 20,
      nudges: { total: 10, nudge: 10, escalate: 0 },
      actedOn: { within24h: 5, of: 10, share: 0.5 },
    });
    expect(unstick!.timeToResolve.before).toEqual({ n: 10, medianHours: 10 });
    expect(unstick!.timeToResolve.after.n).toBe(10);
    expect(unstick!.timeToResolve.interval).not.toBeNull();
    // The default minimum sample (10 a side) is met too; with a team filter the same.
    window = { ...window };
    expect((await ts.agreements.report({ ...window, team: 'pay' })).agreements[0]!.nudges.total).toBe(10);
    await expect(ts.agreements.report({ ...window, team: 'payy' })).rejects.toThrow(/team: unknown team "payy"/);
    await expect(ts.agreements.report({ from: 'yesterday', to: window.to })).rejects.toThrow(/from: expected an ISO timestamp/);
  });
});
