import { idempotencyLabel, JiraRequestError } from '@teamstate/connectors/jira';
import type { ActionContext, PolicyDocument, TeamState } from '@teamstate/core';
import { silentLogger } from '@teamstate/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createFakeJira, type FakeJira } from './fake-jira.js';
import { NOW, openWorkspace, testConnector } from './jira-test-setup.js';

let fake: FakeJira;
beforeEach(() => {
  fake = createFakeJira();
  fake.listen();
});
afterEach(() => fake.close());

const autoPolicy: PolicyDocument = { actions: { 'jira.*': { mode: 'auto' } } };
const askPolicy: PolicyDocument = { actions: { 'jira.*': { mode: 'ask' } } };

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
  ts.actions.propose({ type, target: String(params.key ?? params.project), params, reason: 'test', requestedBy: 'ana' });

const actionContext = (idempotencyKey: string): ActionContext => ({
  workspace: 'default',
  approvalId: 'apr_test',
  idempotencyKey,
  requestedBy: 'ana',
  target: 'PAY',
  limits: {},
  deadline: new Date('2100-01-01T00:00:00Z'),
  log: silentLogger,
  now: () => NOW,
});

describe('jira actions', () => {
  it('declares the four issue actions and the webhook install with zod params and default risks', async () => {
    const connector = testConnector();
    expect(connector.actions!.map((a) => [a.type, a.risk])).toEqual([
      ['jira.issue.comment', 'low'],
      ['jira.issue.transition', 'medium'],
      ['jira.issue.assign', 'low'],
      ['jira.issue.create', 'medium'],
      ['jira.webhook.create', 'medium'],
    ]);
    const ts = await workspace(autoPolicy);
    await expect(propose(ts, 'jira.issue.transition', { key: 'pay-7', to: 'Done' })).rejects.toThrow(
      'key: expected an issue key such as "PAY-17" (project key, dash, number)',
    );
    await ts.close();
  });

  it('comments as plain text with the idempotency key as a comment property, and finds an interrupted comment', async () => {
    const ts = await workspace(autoPolicy);
    const approval = await propose(ts, 'jira.issue.comment', { key: 'PAY-4', body: 'Sandbox is back.\n\n*Not* markup: {code}' });
    expect(approval.status).toBe('executed');
    const [comment] = fake.comments.get('PAY-4')!;
    expect(comment.body).toEqual({
      type: 'doc',
      version: 1,
      content: [
        { type: 'paragraph', content: [{ type: 'text', text: 'Sandbox is back.' }] },
        { type: 'paragraph', content: [{ type: 'text', text: '*Not* markup: {code}' }] },
      ],
    });
    const stored = await ts.store.execute('SELECT idempotency_key FROM approvals WHERE id = ?', [approval.id]);
    const key = String(stored.rows[0]!.idempotency_key);
    expect(comment.properties).toEqual([{ key: 'teamstate', value: { idempotencyKey: key, approvalId: approval.id } }]);
    const action = ts.connectors[0]!.actions!.find((a) => a.type === 'jira.issue.comment')!;
    expect(await action.checkExecuted!({ key: 'PAY-4', body: 'x' }, actionContext(key))).toEqual({
      executed: true,
      result: { key: 'PAY-4', commentId: comment.id },
    });
    expect(await action.checkExecuted!({ key: 'PAY-4', body: 'x' }, actionContext('another-run'))).toEqual({ executed: false });
    await ts.close();
  });

  it('transitions by target status name, refusing moves the workflow does not offer', async () => {
    const ts = await workspace(autoPolicy);
    const done = await propose(ts, 'jira.issue.transition', { key: 'PAY-7', to: 'in progress' });
    expect(done).toMatchObject({ status: 'executed', result: { key: 'PAY-7', from: 'To Do', to: 'In Progress' } });
    expect(fake.issue('PAY-7').issue.fields.status.name).toBe('In Progress');
    await expect(propose(ts, 'jira.issue.transition', { key: 'PAY-7', to: 'Shipped' })).rejects.toThrow(
      'jira.issue.transition: the workflow has no transition from "In Progress" to "Shipped" (available: "In Review", "Blocked", "Done")',
    );
    await expect(propose(ts, 'jira.issue.transition', { key: 'PAY-7', to: 'In Progress' })).rejects.toThrow(
      'PAY-7 is already in "In Progress"',
    );
    await expect(propose(ts, 'jira.issue.transition', { key: 'PAY-99', to: 'Done' })).rejects.toThrow(
      'issue PAY-99 does not exist or is not visible to the Jira account',
    );
    await ts.close();
  });

  it('does not transition an issue whose status changed after the proposal', async () => {
    const ts = await workspace(askPolicy);
    const pending = await propose(ts, 'jira.issue.transition', { key: 'PAY-3', to: 'Done' });
    expect(pending.status).toBe('pending');
    fake.move('PAY-3', 'In Review', '2026-03-25T10:00:00.000+0000');
    const decided = await ts.approvals.decide(pending.id, { decision: 'approve', by: 'lead' });
    expect(decided).toMatchObject({ status: 'failed', error: { code: 'stale' } });
    expect(decided.error!.message).toContain('PAY-3 moved from "In Progress" to "In Review" since the proposal');
    expect(fake.count('transition')).toBe(0);
    expect(fake.issue('PAY-3').issue.fields.status.name).toBe('In Review');
    await ts.close();
  });

  it('assigns and unassigns, refusing when someone reassigned the issue meanwhile', async () => {
    const ts = await workspace(autoPolicy);
    const chen = fake.users[2].accountId;
    expect((await propose(ts, 'jira.issue.assign', { key: 'PAY-5', accountId: chen })).status).toBe('executed');
    expect(fake.issue('PAY-5').issue.fields.assignee.accountId).toBe(chen);
    expect((await propose(ts, 'jira.issue.assign', { key: 'PAY-5', accountId: null })).status).toBe('executed');
    expect(fake.issue('PAY-5').issue.fields.assignee).toBeNull();
    expect(fake.received.filter((r) => r.path.endsWith('/assignee')).map((r) => r.body)).toEqual([
      { accountId: chen },
      { accountId: null },
    ]);

    const ask = await workspace(askPolicy);
    const pending = await propose(ask, 'jira.issue.assign', { key: 'PAY-2', accountId: chen });
    fake.issue('PAY-2').issue.fields.assignee = fake.users[1];
    const decided = await ask.approvals.decide(pending.id, { decision: 'approve', by: 'lead' });
    expect(decided.error!.message).toContain(
      'PAY-2 was reassigned (from 5b10a2844c20165700ede21g to 5b10ac8d82e05b22cc7d4ef5) since the proposal',
    );
    await ask.close();
    await ts.close();
  });

  it('creates an issue once per approval: a retried run finds the one it made', async () => {
    const ts = await workspace(autoPolicy);
    const params = { project: 'PAY', summary: 'Alert on refund failures', description: 'Page the on-call.', labels: ['alerts'] };
    const created = await propose(ts, 'jira.issue.create', params);
    expect(created).toMatchObject({ status: 'executed', result: { key: 'PAY-108', url: 'https://acme.atlassian.net/browse/PAY-108' } });
    const key = String(
      (await ts.store.execute('SELECT idempotency_key FROM approvals WHERE id = ?', [created.id])).rows[0]!.idempotency_key,
    );
    const label = idempotencyLabel(key);
    expect(label).toMatch(/^teamstate-[0-9a-f]{16}$/);
    expect(fake.created[0].body).toEqual({
      fields: {
        project: { key: 'PAY' },
        summary: 'Alert on refund failures',
        issuetype: { name: 'Task' },
        labels: ['alerts', label],
        description: { type: 'doc', version: 1, content: [{ type: 'paragraph', content: [{ type: 'text', text: 'Page the on-call.' }] }] },
      },
      properties: [{ key: 'teamstate', value: { idempotencyKey: key, approvalId: created.id } }],
    });

    // The executor runs again with the same key (a retry after a crash): no second issue.
    const action = ts.connectors[0]!.actions!.find((a) => a.type === 'jira.issue.create')!;
    const parsed = action.params.parse(params);
    expect(await action.execute(parsed, actionContext(key))).toEqual({
      id: '10108',
      key: 'PAY-108',
      url: 'https://acme.atlassian.net/browse/PAY-108',
      existing: true,
    });
    expect(fake.created).toHaveLength(1);
    expect(await action.checkExecuted!(parsed, actionContext(key))).toMatchObject({ executed: true, result: { key: 'PAY-108' } });
    expect(await action.checkExecuted!(parsed, actionContext('never-ran'))).toEqual({ executed: false });
    await expect(propose(ts, 'jira.issue.create', { project: 'OPS', summary: 'x' })).rejects.toThrow(
      'project OPS does not exist or is not visible to the Jira account',
    );
    await ts.close();
  });

  it('sends a create (not idempotent) again only after a rate limit; a 5xx is not resent and its outcome is unknown', async () => {
    const ts = await workspace(autoPolicy);
    const action = ts.connectors[0]!.actions!.find((a) => a.type === 'jira.issue.create')!;
    const parsed = action.params.parse({ project: 'PAY', summary: 'Alert on refund failures' });

    fake.force('create', { status: 503, body: { errorMessages: ['Service Unavailable'], errors: {} } });
    const failure = await action.execute(parsed, actionContext('key-503')).catch((error: unknown) => error);
    expect(JiraRequestError.isInstance(failure)).toBe(true);
    expect(failure).toMatchObject({ statusCode: 503, isRetryable: true, outcomeUnknown: true });
    expect((failure as Error).message).toBe(
      'Jira POST /rest/api/3/issue failed with 503: Service Unavailable (the write was not sent again: it may or may not have taken effect)',
    );
    expect(fake.count('create')).toBe(1);

    // A 429 is a refusal: the create is sent again after Retry-After, but not when Jira asks for more than a minute.
    fake.force('create', { status: 429, headers: { 'Retry-After': '0' } });
    expect(await action.execute(parsed, actionContext('key-429'))).toMatchObject({ key: 'PAY-108' });
    expect(fake.count('create')).toBe(3);
    fake.force('create', { status: 429, headers: { 'Retry-After': '120' } });
    const limited = await action.execute(parsed, actionContext('key-429-long')).catch((error: unknown) => error);
    expect(limited).toMatchObject({ statusCode: 429, isRetryable: true, outcomeUnknown: false });
    expect(fake.count('create')).toBe(4);
    await ts.close();
  });
});
