import { commentIdOf } from '@teamstate/connectors/linear';
import type { ActionContext, PolicyDocument, TeamState } from '@teamstate/core';
import { silentLogger } from '@teamstate/core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createFakeLinear } from './fake-linear.js';
import { NOW, openWorkspace, testConnector } from './linear-test-setup.js';

const fake = createFakeLinear();
beforeAll(() => fake.listen());
afterAll(() => fake.close());
beforeEach(() => fake.reset());

const autoPolicy: PolicyDocument = { actions: { 'linear.*': { mode: 'auto' } } };
const askPolicy: PolicyDocument = { actions: { 'linear.*': { mode: 'ask' } } };

async function workspace(policy: PolicyDocument): Promise<TeamState> {
  const ts = await openWorkspace(testConnector(), { policy });
  await ts.import({
    format: 'teamstate.bundle/v1',
    people: [
      { id: 'ana', name: 'Ana' },
      { id: 'lead', name: 'Lead' },
    ],
  });
  return ts;
}

const propose = (ts: TeamState, type: string, params: Record<string, unknown>) =>
  ts.actions.propose({ type, target: String(params.key), params, reason: 'test', requestedBy: 'ana' });

const actionContext = (idempotencyKey: string): ActionContext => ({
  workspace: 'default',
  approvalId: 'apr_test',
  idempotencyKey,
  requestedBy: 'ana',
  target: 'PAY-4',
  limits: {},
  deadline: new Date('2100-01-01T00:00:00Z'),
  log: silentLogger,
  now: () => NOW,
});
const issue = (identifier: string) => fake.issues.find((i) => i.identifier === identifier)!;
const mutations = () =>
  fake.received.filter((r) => r.operation.startsWith('TeamstateCommentCreate') || r.operation === 'TeamstateIssueUpdate');

describe('linear actions', () => {
  it('declares comment, transition and assign with zod params and default risks', async () => {
    expect(testConnector().actions!.map((a) => [a.type, a.risk])).toEqual([
      ['linear.issue.comment', 'low'],
      ['linear.issue.transition', 'medium'],
      ['linear.issue.assign', 'low'],
    ]);
    const ts = await workspace(autoPolicy);
    await expect(propose(ts, 'linear.issue.transition', { key: 'PAY 7', to: 'Done' })).rejects.toThrow(
      'key: expected an issue identifier such as "PAY-17" (team key, dash, number)',
    );
    await expect(propose(ts, 'linear.issue.comment', { key: 'PAY-4', body: '   ' })).rejects.toThrow('body: must not be empty');
    expect(await ts.approvals.list({})).toEqual([]);
    expect(mutations()).toEqual([]);
    await ts.close();
  });

  it('comments once per approval under an id derived from its idempotency key, and finds an interrupted comment', async () => {
    const ts = await workspace(autoPolicy);
    const body = '**Sandbox** is back. <script>x</script>';
    const approval = await propose(ts, 'linear.issue.comment', { key: 'PAY-4', body });
    expect(approval.status).toBe('executed');
    const stored = await ts.store.execute('SELECT idempotency_key FROM approvals WHERE id = ?', [approval.id]);
    const key = String(stored.rows[0]!.idempotency_key);
    expect(fake.comments).toEqual([expect.objectContaining({ id: commentIdOf(key), issueId: issue('PAY-4').id, body })]);
    expect(commentIdOf(key)).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    const action = ts.connectors[0]!.actions!.find((a) => a.type === 'linear.issue.comment')!;
    expect(await action.checkExecuted!({ key: 'PAY-4', body }, actionContext(key))).toEqual({
      executed: true,
      result: { key: 'PAY-4', commentId: commentIdOf(key) },
    });
    expect(await action.checkExecuted!({ key: 'PAY-4', body }, actionContext('another-key'))).toEqual({ executed: false });
    // A repeated run cannot add a second comment: Linear refuses the same id.
    await expect(action.execute({ key: 'PAY-4', body }, actionContext(key))).rejects.toThrow('already exists');
    expect(fake.comments).toHaveLength(1);
    // An issue that does not exist is refused when proposed.
    await expect(propose(ts, 'linear.issue.comment', { key: 'PAY-999', body: 'x' })).rejects.toThrow(
      'issue PAY-999 does not exist or is not visible to the Linear API key',
    );
    await ts.close();
  });

  it('sends a mutation once when Linear answers 5xx, its outcome unknown; a read is retried', async () => {
    const ts = await workspace(autoPolicy);
    const action = ts.connectors[0]!.actions!.find((a) => a.type === 'linear.issue.comment')!;
    const params = { key: 'PAY-4', body: 'Sandbox is back.' };
    const unavailable = { status: 502, body: { errors: [{ message: 'Bad gateway' }] } };
    fake.force({ operation: 'TeamstateCommentCreate', ...unavailable });
    const failure = await action.execute(params, actionContext('key-502')).catch((error: unknown) => error);
    expect(failure).toMatchObject({ statusCode: 502, isRetryable: true, outcomeUnknown: true });
    expect((failure as Error).message).toMatch(/may or may not have taken effect/);
    expect(mutations()).toHaveLength(1);
    // The issue read before it is a query: a 5xx there is retried, and the comment is then sent once.
    fake.received.length = 0;
    fake.force({ operation: 'TeamstateIssueState', ...unavailable });
    expect(await action.execute(params, actionContext('key-read-502'))).toEqual({ key: 'PAY-4', commentId: commentIdOf('key-read-502') });
    expect(fake.received.map((r) => r.operation)).toEqual(['TeamstateIssueState', 'TeamstateIssueState', 'TeamstateCommentCreate']);
    await ts.close();
  });

  it('transitions by state name, refusing a state the team does not have and one it is already in', async () => {
    const ts = await workspace(autoPolicy);
    const done = await propose(ts, 'linear.issue.transition', { key: 'PAY-4', to: 'in progress' });
    expect(done).toMatchObject({ status: 'executed', result: { key: 'PAY-4', from: 'Todo', to: 'In Progress' } });
    expect(issue('PAY-4').state.name).toBe('In Progress');
    await expect(propose(ts, 'linear.issue.transition', { key: 'PAY-4', to: 'Shipped' })).rejects.toThrow(
      'team PAY has no state "Shipped" (available: "Triage", "Backlog", "Todo", "In Progress", "In Review", "Done", "Canceled")',
    );
    await expect(propose(ts, 'linear.issue.transition', { key: 'PAY-4', to: 'In Progress' })).rejects.toThrow(
      'PAY-4 is already in "In Progress"',
    );
    await ts.close();
  });

  it('does not transition an issue whose state changed after the proposal', async () => {
    const ts = await workspace(askPolicy);
    const pending = await propose(ts, 'linear.issue.transition', { key: 'PAY-2', to: 'Done' });
    expect(pending.status).toBe('pending');
    fake.move('PAY-2', 'In Progress', '2026-03-18T09:50:00.000Z');
    fake.received.length = 0;
    const decided = await ts.approvals.decide(pending.id, { decision: 'approve', by: 'lead' });
    expect(decided).toMatchObject({ status: 'failed', error: { code: 'stale' } });
    expect(decided.error!.message).toContain('PAY-2 moved from "In Review" to "In Progress" since the proposal');
    expect(mutations()).toEqual([]);
    expect(issue('PAY-2').state.name).toBe('In Progress');
    await ts.close();
  });

  it('assigns and unassigns, refusing when someone reassigned the issue meanwhile', async () => {
    const ts = await workspace(autoPolicy);
    const chloe = fake.users[2]!.id;
    expect((await propose(ts, 'linear.issue.assign', { key: 'PAY-5', userId: chloe })).status).toBe('executed');
    expect(issue('PAY-5').assignee?.id).toBe(chloe);
    expect((await propose(ts, 'linear.issue.assign', { key: 'PAY-5', userId: null })).status).toBe('executed');
    expect(issue('PAY-5').assignee).toBeNull();

    const asking = await workspace(askPolicy);
    const pending = await propose(asking, 'linear.issue.assign', { key: 'PAY-5', userId: chloe });
    issue('PAY-5').assignee = fake.users[1]!;
    const decided = await asking.approvals.decide(pending.id, { decision: 'approve', by: 'lead' });
    expect(decided).toMatchObject({ status: 'failed', error: { code: 'stale' } });
    expect(decided.error!.message).toContain(`PAY-5 was reassigned (from nobody to ${fake.users[1]!.id}) since the proposal`);
    expect(issue('PAY-5').assignee?.id).toBe(fake.users[1]!.id);
    await asking.close();
    await ts.close();
  });
});
