import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  type ActionContext,
  createTeamState,
  type DecisionInput,
  type TeamState,
  TeamStateError,
  type ValidationError,
} from '../src/index.js';
import { createTestConnector, createTestWorld, type TestWorld, teamBundle, testPolicy } from './fixtures/test-connector.js';
import { tempFolders } from './helpers/temp-folders.js';

const temp = tempFolders();

const T0 = Date.parse('2026-03-02T09:00:00Z');
const HOUR = 3_600_000;

let now = T0;
let open: TeamState[] = [];

async function setup(world: TestWorld = createTestWorld(), policy: unknown = testPolicy) {
  now = T0;
  const ts = await createTeamState({
    database: ':memory:',
    connectors: [createTestConnector(world)],
    policy: policy as never,
    clock: () => new Date(now),
  });
  open.push(ts);
  await ts.import(teamBundle);
  return { ts, world };
}

afterEach(async () => {
  for (const ts of open) await ts.close();
  open = [];
});

const note = { type: 'test.note.add', target: 'notes', params: { text: 'hello' }, reason: 'say hello', requestedBy: 'bot' };
const merge = {
  type: 'test.pr.merge',
  target: 'acme/api#42',
  params: { repository: 'acme/api', number: 42, expectedHeadSha: 'abc123' },
  reason: 'CI green',
  requestedBy: 'bot',
};

async function refusal(promise: Promise<unknown>): Promise<TeamStateError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!TeamStateError.isInstance(error)) throw new Error(`expected a TeamStateError, got ${String(error)}`);
  return error;
}

describe('propose', () => {
  it('runs auto actions at once, holds ask and require_approval, records deny', async () => {
    const { ts, world } = await setup();
    const read = await ts.actions.propose({ ...note, type: 'test.item.read', params: { key: 'X-1' } });
    expect(read).toMatchObject({ status: 'executed', mode: 'auto', result: { done: true } });
    const asked = await ts.actions.propose(note);
    expect(asked).toMatchObject({ status: 'pending', mode: 'ask', risk: 'low', approvers: [], expiresAt: '2026-03-03T09:00:00.000Z' });
    const merged = await ts.actions.propose(merge);
    expect(merged).toMatchObject({ status: 'pending', mode: 'require_approval', risk: 'high', approvers: ['team:leads'] });
    expect(merged.expiresAt).toBe('2026-03-02T13:00:00.000Z');
    const closed = await ts.actions.propose({ ...note, type: 'test.issue.close', params: { key: 'PAY-1' } });
    expect(closed).toMatchObject({ status: 'denied', mode: 'deny', decidedBy: 'policy' });
    expect(world.executions.map((e) => e.type)).toEqual(['test.item.read']);
    expect(asked.policyHash).toBe(ts.policy.hash);
    expect(ts.policy.hash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('refuses an unknown action type, suggesting the closest one, and stores nothing', async () => {
    const { ts } = await setup();
    const error = await refusal(ts.actions.propose({ ...merge, type: 'test.pr.merg' }));
    expect(error.code).toBe('unknown_action_type');
    expect(error.message).toBe('type: unknown action type "test.pr.merg" (did you mean "test.pr.merge"?)');
    expect(await ts.approvals.list()).toEqual([]);
    expect(await ts.audit.head()).toBeUndefined();
  });

  it('refuses params that fail the action schema, naming each field, and stores nothing', async () => {
    const { ts } = await setup();
    const error = await refusal(ts.actions.propose({ ...merge, params: { repository: 'acme/api', number: -1 } }));
    expect(error.code).toBe('invalid_params');
    expect((error as ValidationError).issues.map((issue) => issue.path)).toEqual(['params.number']);
    expect(error.message).toContain('params of test.pr.merge has 1 problem');
    const missing = await refusal(ts.actions.propose({ ...note, reason: '' }));
    expect(missing.code).toBe('invalid_argument');
    expect(missing.message).toContain('reason: must say why');
    expect(await ts.approvals.list()).toEqual([]);
    expect(await ts.audit.head()).toBeUndefined();
  });

  it('refuses a proposal whose precondition fails and records the precondition state of one that holds', async () => {
    const { ts, world } = await setup();
    world.headSha = 'def456';
    const error = await refusal(ts.actions.propose(merge));
    expect(error.code).toBe('precondition_failed');
    expect(error.message).toBe('test.pr.merge: head moved from abc123 to def456');
    expect(await ts.approvals.list()).toEqual([]);
  });

  it('lists the catalogue with the mode and risk the policy gives each type', async () => {
    const { ts } = await setup();
    const catalogue = ts.actions.list().map(({ type, mode, risk, connector }) => ({ type, mode, risk, connector }));
    expect(catalogue).toEqual([
      { type: 'test.issue.close', mode: 'deny', risk: 'medium', connector: 'test' },
      { type: 'test.item.read', mode: 'auto', risk: 'low', connector: 'test' },
      { type: 'test.note.add', mode: 'ask', risk: 'low', connector: 'test' },
      { type: 'test.pr.merge', mode: 'require_approval', risk: 'high', connector: 'test' },
    ]);
    expect(ts.actions.list()[3]?.params).toMatchObject({ type: 'object', required: expect.arrayContaining(['repository', 'number']) });
  });

  it('applies the built-in defaults without a policy: reads auto, writes ask, merges and closures require approval', async () => {
    const { ts } = await setup(createTestWorld(), {});
    const withoutPolicy = await createTeamState({ database: ':memory:' });
    open.push(withoutPolicy);
    expect(withoutPolicy.policy.hash).toBe(ts.policy.hash);
    expect(Object.fromEntries(ts.actions.list().map((action) => [action.type, action.mode]))).toEqual({
      'test.issue.close': 'require_approval',
      'test.item.read': 'auto',
      'test.note.add': 'ask',
      'test.pr.merge': 'require_approval',
    });
  });

  it('refuses a malformed policy when opening', async () => {
    const error = await refusal(
      createTeamState({ database: ':memory:', policy: { actions: { 'github.pr.merge': { mode: 'yes' } } } as never }),
    );
    expect(error.code).toBe('invalid_policy');
    expect(error.message).toContain('policy.actions["github.pr.merge"].mode: expected one of auto|ask|require_approval|deny, got "yes"');
  });
});

describe('decide', () => {
  it('approves and executes once with the idempotency key, recording who decided', async () => {
    const { ts, world } = await setup();
    const proposed = await ts.actions.propose(merge);
    now += HOUR;
    const done = await ts.approvals.decide(proposed.id, { decision: 'approve', by: 'ana', reason: 'ship it' });
    expect(done).toMatchObject({
      status: 'executed',
      decision: 'approve',
      decidedBy: 'ana',
      decisionReason: 'ship it',
      decidedAt: '2026-03-02T10:00:00.000Z',
      executedAt: '2026-03-02T10:00:00.000Z',
      result: { done: true, type: 'test.pr.merge' },
    });
    expect(world.executions).toEqual([
      {
        type: 'test.pr.merge',
        approvalId: proposed.id,
        idempotencyKey: proposed.idempotencyKey,
        params: { ...merge.params, outcome: 'ok' },
      },
    ]);
    expect((await ts.approvals.execute(proposed.id)).status).toBe('executed');
    expect(world.executions).toHaveLength(1);
    const types = (await ts.audit.list({ approvalId: proposed.id })).map((event) => [event.type, event.actor]);
    expect(types).toEqual([
      ['approval.proposed', 'bot'],
      ['approval.decided', 'ana'],
      ['approval.executing', 'system'],
      ['approval.executed', 'system'],
    ]);
  });

  it('resolves the decider through accounts and email', async () => {
    const { ts } = await setup();
    const first = await ts.actions.propose(note);
    expect((await ts.approvals.decide(first.id, { decision: 'decline', by: 'U0ANA' })).decidedBy).toBe('ana');
    const second = await ts.actions.propose(note);
    expect((await ts.approvals.decide(second.id, { decision: 'decline', by: 'ana@example.com' })).decidedBy).toBe('ana');
  });

  it('declines without executing', async () => {
    const { ts, world } = await setup();
    const proposed = await ts.actions.propose(note);
    const declined = await ts.approvals.decide(proposed.id, { decision: 'decline', by: 'cat', reason: 'not now' });
    expect(declined).toMatchObject({ status: 'declined', decision: 'decline', decidedBy: 'cat', decisionReason: 'not now' });
    expect(world.executions).toEqual([]);
  });

  it('modify approves with edited params, validated again', async () => {
    const { ts, world } = await setup();
    const proposed = await ts.actions.propose(note);
    const bad = await refusal(ts.approvals.decide(proposed.id, { decision: 'modify', by: 'ben', params: { text: '' } }));
    expect(bad.code).toBe('invalid_params');
    expect(bad.message).toContain('params.text');
    expect((await ts.approvals.get(proposed.id))?.status).toBe('pending');

    const modified = await ts.approvals.decide(proposed.id, { decision: 'modify', by: 'ben', params: { text: 'hello, team' } });
    expect(modified).toMatchObject({ status: 'executed', decision: 'modify', params: { text: 'hello, team', outcome: 'ok' } });
    expect(world.executions.map((e) => e.params.text)).toEqual(['hello, team']);
    const decided = await ts.audit.list({ approvalId: proposed.id, type: 'approval.decided' });
    expect(decided[0]?.data).toMatchObject({ decision: 'modify', previousParams: { text: 'hello', outcome: 'ok' } });
  });

  it('never lets the requester decide their own proposal', async () => {
    const { ts } = await setup();
    const proposed = await ts.actions.propose({ ...note, requestedBy: 'ben' });
    const error = await refusal(ts.approvals.decide(proposed.id, { decision: 'approve', by: 'ben' }));
    expect(error.code).toBe('self_decision');
    expect(error.message).toBe('ben proposed this action and cannot decide it; ask another approver');
    const viaAccount = await ts.actions.propose({ ...note, requestedBy: 'ana' });
    expect((await refusal(ts.approvals.decide(viaAccount.id, { decision: 'approve', by: 'U0ANA' }))).code).toBe('self_decision');
  });

  it('records a requester or on-behalf-of person named in another case as that person, who then cannot decide it (finding 9)', async () => {
    const { ts, world } = await setup();
    const shouted = await ts.actions.propose({ ...note, requestedBy: 'BEN' });
    expect(shouted.requestedBy).toBe('ben');
    expect((await refusal(ts.approvals.decide(shouted.id, { decision: 'approve', by: 'ben' }))).code).toBe('self_decision');
    const [proposed] = await ts.audit.list({ approvalId: shouted.id, type: 'approval.proposed' });
    expect(proposed?.actor).toBe('ben');
    // An account's login in another case is its person too.
    const login = await ts.actions.propose({ ...note, requestedBy: 'Ana.S' });
    expect(login.requestedBy).toBe('ana');
    expect((await refusal(ts.approvals.decide(login.id, { decision: 'approve', by: 'ana' }))).code).toBe('self_decision');
    // require_approval: the person an assistant proposed for, named in another case, cannot approve it either.
    const forDev = await ts.actions.propose({ ...merge, onBehalfOf: 'DEV' });
    expect(forDev.onBehalfOf).toBe('dev');
    expect((await refusal(ts.approvals.decide(forDev.id, { decision: 'approve', by: 'dev' }))).code).toBe('self_decision');
    expect(world.executions).toEqual([]);
    // A requester that names no person (an assistant) is kept as it is.
    expect((await ts.actions.propose({ ...note, requestedBy: 'Claude' })).requestedBy).toBe('Claude');
    expect((await ts.audit.verify()).ok).toBe(true);
  });

  it('refuses a proposal on behalf of someone who is not a person of the workspace, with a suggestion; nothing is stored', async () => {
    const { ts } = await setup();
    const error = await refusal(ts.actions.propose({ ...note, onBehalfOf: 'anna' }));
    expect(error.code).toBe('invalid_argument');
    expect(error.message).toBe('onBehalfOf: "anna" is not a known person in this workspace (did you mean "ana"?)');
    expect(await ts.approvals.list({})).toEqual([]);
    expect(await ts.audit.list({})).toEqual([]);
  });

  it('compares the requester of an older approval (stored in another case) with the decider ignoring case', async () => {
    const { ts } = await setup();
    const proposed = await ts.actions.propose(note);
    // An approval proposed before requesters were stored as their person id.
    await ts.store.execute('UPDATE approvals SET requested_by = ? WHERE id = ?', ['BEN', proposed.id]);
    expect((await refusal(ts.approvals.decide(proposed.id, { decision: 'approve', by: 'ben' }))).code).toBe('self_decision');
  });

  it('lets only the approvers of the risk decide a require_approval action, resolving team: through memberships', async () => {
    const { ts, world } = await setup();
    const proposed = await ts.actions.propose(merge);
    const ben = await refusal(ts.approvals.decide(proposed.id, { decision: 'approve', by: 'ben' }));
    expect(ben.code).toBe('not_an_approver');
    expect(ben.message).toBe('ben may not decide high-risk actions (allowed: team:leads)');
    expect(world.executions).toEqual([]);
    expect((await ts.approvals.decide(proposed.id, { decision: 'approve', by: 'dev' })).status).toBe('executed');
  });

  it('refuses an unknown approver with a suggestion', async () => {
    const { ts } = await setup();
    const proposed = await ts.actions.propose(note);
    const error = await refusal(ts.approvals.decide(proposed.id, { decision: 'approve', by: 'anna' }));
    expect(error.code).toBe('unknown_approver');
    expect(error.message).toBe('by: "anna" is not a known person in this workspace (did you mean "ana"?)');
  });

  it('audits every refused decision on an approval and changes nothing', async () => {
    const { ts } = await setup();
    const proposed = await ts.actions.propose(merge);
    const before = await ts.approvals.get(proposed.id);
    const attempts: [string, unknown][] = [
      ['approval_not_found', ['apr_missing', { decision: 'approve', by: 'ana' }]],
      ['invalid_argument', [proposed.id, { decision: 'yes', by: 'ana' }]],
      ['unknown_approver', [proposed.id, { decision: 'approve', by: 'nobody' }]],
      ['self_decision', [proposed.id, { decision: 'approve', by: 'bot' }]],
      ['not_an_approver', [proposed.id, { decision: 'approve', by: 'cat' }]],
    ];
    for (const [code, [id, input]] of attempts as [string, [string, DecisionInput]][]) {
      const error = await refusal(ts.approvals.decide(id, input));
      expect(error.code).toBe(code === 'approval_not_found' ? 'not_found' : code);
    }
    expect(await ts.approvals.get(proposed.id)).toEqual(before);
    const refused = await ts.audit.list({ type: 'approval.decision_refused' });
    // A decision on an unknown approval is refused before anything is written (no entry for apr_missing).
    expect(refused.map((event) => [event.approvalId, event.actor, event.data.code])).toEqual([
      [proposed.id, 'ana', 'invalid_argument'],
      [proposed.id, 'nobody', 'unknown_approver'],
      [proposed.id, 'bot', 'self_decision'],
      [proposed.id, 'cat', 'not_an_approver'],
    ]);
    expect((await ts.audit.verify()).ok).toBe(true);
  });

  it('never changes a terminal approval', async () => {
    const { ts, world } = await setup();
    const declined = await ts.actions.propose(note);
    await ts.approvals.decide(declined.id, { decision: 'decline', by: 'ana' });
    const executed = await ts.actions.propose(note);
    await ts.approvals.decide(executed.id, { decision: 'approve', by: 'ana' });
    const denied = await ts.actions.propose({ ...note, type: 'test.issue.close', params: { key: 'PAY-1' } });
    for (const id of [declined.id, executed.id, denied.id]) {
      const before = await ts.approvals.get(id);
      for (const decision of ['approve', 'decline', 'modify'] as const) {
        const error = await refusal(ts.approvals.decide(id, { decision, by: 'dev', params: { text: 'x' } }));
        expect(error.code).toBe('approval_not_pending');
        expect(error.message).toBe(`approval ${id} is already ${before?.status}; only a pending approval can be decided`);
      }
      expect(await ts.approvals.execute(id)).toEqual(before);
      expect(await ts.approvals.get(id)).toEqual(before);
    }
    expect(world.executions).toHaveLength(1);
  });

  it('lets exactly one of two concurrent decisions win', async () => {
    const { ts, world } = await setup();
    const proposed = await ts.actions.propose(merge);
    const outcomes = await Promise.allSettled([
      ts.approvals.decide(proposed.id, { decision: 'approve', by: 'ana' }),
      ts.approvals.decide(proposed.id, { decision: 'decline', by: 'dev' }),
    ]);
    expect(outcomes.map((o) => o.status).sort()).toEqual(['fulfilled', 'rejected']);
    expect(world.executions.length).toBeLessThanOrEqual(1);
    expect((await ts.audit.list({ type: 'approval.decided' })).length).toBe(1);
  });

  it('also applies the deciding instance policy when it differs from the proposing one (the stricter wins)', async () => {
    const database = join(temp.folder('teamstate-policy-'), 'teamstate.db');
    const at = (policy: unknown) =>
      createTeamState({
        database,
        connectors: [createTestConnector(createTestWorld())],
        policy: policy as never,
        clock: () => new Date(now),
      });
    const proposer = await at(testPolicy);
    open.push(proposer);
    await proposer.import(teamBundle);
    const first = await proposer.actions.propose(note);
    const second = await proposer.actions.propose({ ...note, params: { text: 'hello again' } });

    const onlyDev = await at({ approvers: { low: ['dev'] }, actions: { 'test.note.*': { mode: 'require_approval' } } });
    open.push(onlyDev);
    const refused = await refusal(onlyDev.approvals.decide(first.id, { decision: 'approve', by: 'ana' }));
    expect(refused.code).toBe('not_an_approver');
    expect((await onlyDev.approvals.decide(first.id, { decision: 'approve', by: 'dev' })).status).toBe('executed');

    const denying = await at({ actions: { 'test.*': { mode: 'deny' } } });
    open.push(denying);
    const denied = await refusal(denying.approvals.decide(second.id, { decision: 'approve', by: 'dev' }));
    expect(denied.code).toBe('policy_denied');
    expect((await proposer.approvals.get(second.id))?.status).toBe('pending');
  });
});

describe('expiry', () => {
  it('expires a pending approval at its TTL by the injected clock and refuses deciding it', async () => {
    const { ts, world } = await setup();
    const proposed = await ts.actions.propose(merge);
    now += 4 * HOUR - 1;
    expect((await ts.approvals.get(proposed.id))?.status).toBe('pending');
    now += 1;
    const error = await refusal(ts.approvals.decide(proposed.id, { decision: 'approve', by: 'ana' }));
    expect(error.code).toBe('approval_expired');
    expect(error.message).toBe(
      `approval ${proposed.id} expired at 2026-03-02T13:00:00.000Z and can no longer be decided; propose the action again`,
    );
    expect((await ts.approvals.get(proposed.id))?.status).toBe('expired');
    expect((await refusal(ts.approvals.decide(proposed.id, { decision: 'decline', by: 'ana' }))).code).toBe('approval_expired');
    expect(world.executions).toEqual([]);
    const types = (await ts.audit.list({ approvalId: proposed.id })).map((event) => event.type);
    expect(types).toEqual(['approval.proposed', 'approval.expired', 'approval.decision_refused', 'approval.decision_refused']);
  });

  it('expires overdue approvals in list() and reconcile()', async () => {
    const { ts } = await setup();
    const merged = await ts.actions.propose(merge);
    const noted = await ts.actions.propose(note);
    now += 5 * HOUR;
    expect((await ts.approvals.list({ status: 'pending' })).map((a) => a.id)).toEqual([noted.id]);
    expect((await ts.approvals.get(merged.id))?.status).toBe('expired');
    now += 20 * HOUR;
    expect(await ts.approvals.reconcile()).toEqual({ expired: [noted.id], interrupted: [], recovered: [], executed: [] });
  });
});

describe('execution', () => {
  it('fails as stale, without executing, when the precondition no longer holds', async () => {
    const { ts, world } = await setup();
    const proposed = await ts.actions.propose(merge);
    world.headSha = 'def456';
    const done = await ts.approvals.decide(proposed.id, { decision: 'approve', by: 'ana' });
    expect(done).toMatchObject({
      status: 'failed',
      error: { code: 'stale', message: 'precondition no longer holds: head moved from abc123 to def456' },
    });
    expect(world.executions).toEqual([]);
  });

  it('records an executor failure and never retries it', async () => {
    const { ts, world } = await setup();
    const proposed = await ts.actions.propose({ ...note, params: { text: 'hi', outcome: 'throw' } });
    const failed = await ts.approvals.decide(proposed.id, { decision: 'approve', by: 'ana' });
    expect(failed).toMatchObject({
      status: 'failed',
      error: { code: 'executor_error', message: 'upstream refused: 422 Unprocessable Entity' },
    });
    expect(await ts.approvals.execute(proposed.id)).toEqual(failed);
    await ts.approvals.reconcile();
    expect(await ts.approvals.wait(proposed.id, { timeoutMs: 0 })).toEqual(failed);
    expect(world.executions).toHaveLength(1);
  });

  it('hands the executor the precondition state captured at proposal and the policy limits', async () => {
    const seen: unknown[] = [];
    const world = createTestWorld();
    const connector = createTestConnector(world);
    const merge_ = connector.actions!.find((action) => action.type === 'test.pr.merge')!;
    const spy = { ...connector, actions: [{ ...merge_, execute: async (_params: unknown, ctx: ActionContext) => seen.push(ctx) }] };
    const ts = await createTeamState({ database: ':memory:', connectors: [spy], policy: testPolicy, clock: () => new Date(now) });
    open.push(ts);
    await ts.import(teamBundle);
    const proposed = await ts.actions.propose(merge);
    await ts.approvals.decide(proposed.id, { decision: 'approve', by: 'ana' });
    expect(seen).toEqual([
      expect.objectContaining({
        approvalId: proposed.id,
        idempotencyKey: proposed.idempotencyKey,
        proposedState: { headSha: 'abc123' },
        limits: { max_channel_size_auto_post: 10 },
        requestedBy: 'bot',
        target: 'acme/api#42',
      }),
    ]);
  });

  it('leaves an approval approved where no connector can run it, for reconcile() of an instance that can', async () => {
    const database = join(temp.folder('teamstate-reconcile-'), 'teamstate.db');
    const world = createTestWorld();
    const cli = await createTeamState({ database, policy: testPolicy, clock: () => new Date(now) });
    open.push(cli);
    await cli.import(teamBundle);
    const server = await createTeamState({
      database,
      connectors: [createTestConnector(world)],
      policy: testPolicy,
      clock: () => new Date(now),
    });
    open.push(server);
    const proposed = await server.actions.propose(note);
    expect((await cli.approvals.decide(proposed.id, { decision: 'approve', by: 'ana' })).status).toBe('approved');
    expect((await refusal(cli.approvals.execute(proposed.id))).code).toBe('unknown_action_type');
    expect(await server.approvals.reconcile()).toEqual({ expired: [], interrupted: [], recovered: [], executed: [proposed.id] });
    expect(await server.approvals.reconcile()).toEqual({ expired: [], interrupted: [], recovered: [], executed: [] });
    expect((await cli.approvals.get(proposed.id))?.status).toBe('executed');
    expect(world.executions).toHaveLength(1);
  });

  it('refuses to execute a pending approval', async () => {
    const { ts } = await setup();
    const proposed = await ts.actions.propose(note);
    expect((await refusal(ts.approvals.execute(proposed.id))).code).toBe('approval_not_approved');
  });
});

describe('wait', () => {
  it('returns the current state at timeout', async () => {
    const { ts } = await setup();
    const proposed = await ts.actions.propose(note);
    const started = Date.now();
    expect((await ts.approvals.wait(proposed.id, { timeoutMs: 300 })).status).toBe('pending');
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
  });

  it('wakes at once on a decision in the same instance, without polling', async () => {
    const world = createTestWorld();
    const ts = await createTeamState({
      database: ':memory:',
      connectors: [createTestConnector(world)],
      policy: testPolicy,
      // Its next poll is an hour away (past the test's timeout), and so is the end of the wait: only the decision's
      // wake-up can end it, however slow the machine.
      approvals: { pollIntervalMs: 3_600_000 },
    });
    open.push(ts);
    await ts.import(teamBundle);
    const proposed = await ts.actions.propose(note);
    const waiting = ts.approvals.wait(proposed.id, { timeoutMs: 3_600_000 });
    await ts.approvals.decide(proposed.id, { decision: 'decline', by: 'ana' });
    expect((await waiting).status).toBe('declined');
  });

  it('polls the database at the configured interval, not in a tight loop', async () => {
    const { ts } = await setup();
    const proposed = await ts.actions.propose(note);
    let reads = 0;
    const execute = ts.store.execute;
    (ts.store as { execute: typeof execute }).execute = (sql, args) => {
      if (sql.startsWith('SELECT * FROM approvals WHERE workspace = ? AND id = ?')) reads++;
      return execute(sql, args);
    };
    await ts.approvals.wait(proposed.id, { timeoutMs: 1000 });
    // Every 200 ms over one second: about 6 reads (fewer on a busy machine), never a tight loop.
    expect(reads).toBeGreaterThanOrEqual(2);
    expect(reads).toBeLessThanOrEqual(7);
  });

  it('resolves as expired when the TTL passes while waiting', async () => {
    const { ts } = await setup();
    const proposed = await ts.actions.propose(merge);
    const waiting = ts.approvals.wait(proposed.id, { timeoutMs: 10_000 });
    now += 5 * HOUR;
    expect((await waiting).status).toBe('expired');
  });

  it('rejects with the abort reason, and refuses unknown ids and bad timeouts', async () => {
    const { ts } = await setup();
    const proposed = await ts.actions.propose(note);
    const controller = new AbortController();
    const waiting = ts.approvals.wait(proposed.id, { timeoutMs: 10_000, signal: controller.signal });
    controller.abort(new Error('user pressed Ctrl-C'));
    await expect(waiting).rejects.toThrow('user pressed Ctrl-C');
    expect((await refusal(ts.approvals.wait('apr_nope', { timeoutMs: 10 }))).code).toBe('not_found');
    expect((await refusal(ts.approvals.wait(proposed.id, { timeoutMs: -1 }))).code).toBe('invalid_argument');
  });
});

describe('stats', () => {
  it('counts auto vs human, overrides and decision latency percentiles per action type', async () => {
    const { ts } = await setup();
    await ts.actions.propose({ ...note, type: 'test.item.read', params: { key: 'X' } });
    await ts.actions.propose({ ...note, type: 'test.issue.close', params: { key: 'PAY-1' } });
    const latencies = [1, 2, 3, 4];
    for (const [index, hours] of latencies.entries()) {
      const proposed = await ts.actions.propose(note);
      now += hours * HOUR;
      const decision = index === 0 ? 'decline' : index === 1 ? 'modify' : 'approve';
      await ts.approvals.decide(proposed.id, { decision, by: 'ana', params: { text: 'edited' } });
      now -= hours * HOUR;
    }
    await ts.actions.propose(merge);
    const stats = await ts.approvals.stats({ from: '2026-03-01T00:00:00Z', to: '2026-03-03T00:00:00Z' });
    const notes = stats.byType.find((s) => s.type === 'test.note.add')!;
    expect(notes).toMatchObject({ proposed: 4, humanInTheLoop: 4, approved: 2, modified: 1, declined: 1, executed: 3, overrideRate: 0.5 });
    expect(notes.decisionLatencyHours).toEqual({ p50: 2.5, p90: 3.7 });
    expect(stats.byType.map((s) => [s.type, s.auto, s.denied])).toEqual([
      ['test.issue.close', 0, 1],
      ['test.item.read', 1, 0],
      ['test.note.add', 0, 0],
      ['test.pr.merge', 0, 0],
    ]);
    // A type nobody decided yet counts no decisions (not NULL) and has no override rate.
    expect(stats.byType.find((s) => s.type === 'test.pr.merge')).toMatchObject({
      approved: 0,
      modified: 0,
      declined: 0,
      overrideRate: null,
      decisionLatencyHours: { p50: null, p90: null },
    });
    expect(stats.total).toMatchObject({ type: '*', proposed: 7, auto: 1, humanInTheLoop: 5, denied: 1, overrideRate: 0.5 });
    expect((await ts.approvals.stats({ from: '2026-03-03T00:00:00Z' })).total.proposed).toBe(0);
    expect((await refusal(ts.approvals.stats({ from: 'yesterday' }))).code).toBe('invalid_argument');
  });
});
