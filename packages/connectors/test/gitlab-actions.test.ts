import { gitlab } from '@teamstate/connectors/gitlab';
import { type ActionContext, type ActionType, createTeamState, silentLogger, type TeamState, TeamStateError } from '@teamstate/core';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { FakeGitLab, fakeGitLabHandlers, GITLAB, GITLAB_TOKEN, gitlabWorld } from './gitlab/fake-gitlab.js';

const NOW = new Date('2026-03-10T12:00:00Z');
const kit = { fake: new FakeGitLab(gitlabWorld(), { now: () => NOW }) };
const server = setupServer(...fakeGitLabHandlers(() => kit.fake));
beforeAll(() => server.listen({ onUnhandledFrame: 'error' }));
afterEach(() => {
  kit.fake = new FakeGitLab(gitlabWorld(), { now: () => NOW });
});
afterAll(() => server.close());

const open: TeamState[] = [];
afterEach(async () => {
  for (const ts of open.splice(0)) await ts.close();
});

// Comments and labels run at once here; merges keep the built-in mode (require_approval), decided by a lead.
const policy = {
  actions: { 'gitlab.mr.comment': { mode: 'auto' as const }, 'gitlab.mr.label': { mode: 'auto' as const } },
  approvers: { high: ['lead'] },
};

async function setup() {
  const connector = gitlab({ token: GITLAB_TOKEN, baseUrl: GITLAB, projects: ['acme/checkout'], sleep: async () => {} });
  const ts = await createTeamState({ database: ':memory:', connectors: [connector], clock: () => NOW, policy });
  await ts.import({
    format: 'teamstate.bundle/v1',
    people: [
      { id: 'lead', name: 'Lea Lead' },
      { id: 'assistant', name: 'Assistant' },
    ],
  });
  open.push(ts);
  const actionType = (type: string) => connector.actions!.find((a) => a.type === type)! as ActionType;
  return { ts, actionType };
}

const context = (idempotencyKey: string): ActionContext => ({
  workspace: 'default',
  approvalId: 'apr_test',
  idempotencyKey,
  requestedBy: 'assistant',
  target: 'acme/checkout!2',
  limits: {},
  deadline: new Date(NOW.getTime() + 3_600_000),
  log: silentLogger,
  now: () => NOW,
});

const propose = (ts: TeamState, type: string, params: Record<string, unknown>) =>
  ts.actions.propose({ type, target: `${params.repository}!${params.number}`, params, reason: 'tests', requestedBy: 'assistant' });
const writes = () => kit.fake.requests.filter((r) => r.method !== 'GET');
const mr = (iid: number) => kit.fake.world.projects[0]!.mergeRequests.find((m) => m.iid === iid)!;

async function refusal(promise: Promise<unknown>): Promise<TeamStateError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!TeamStateError.isInstance(error)) throw new Error(`expected a TeamStateError, got ${String(error)}`);
  return error;
}

describe('gitlab.mr.comment', () => {
  it('comments once per approval: the note carries the idempotency key, and a second run finds it', async () => {
    const { ts, actionType } = await setup();
    const params = { repository: 'acme/checkout', number: 2, body: 'Build is red: see the test job.' };
    const approval = await propose(ts, 'gitlab.mr.comment', params);
    expect(approval.status).toBe('executed');
    const posted = mr(2).notes.at(-1)!;
    expect(posted.body).toBe(`Build is red: see the test job.\n\n<!-- teamstate:${approval.idempotencyKey} -->`);
    const again = await actionType('gitlab.mr.comment').execute(params, context(approval.idempotencyKey));
    expect(again).toEqual({ noteId: posted.id, alreadyPosted: true });
    expect(writes()).toHaveLength(1);
    expect(await actionType('gitlab.mr.comment').checkExecuted!(params, context(approval.idempotencyKey))).toMatchObject({
      executed: true,
    });
    expect(await actionType('gitlab.mr.comment').checkExecuted!(params, context('another-key'))).toEqual({ executed: false });
  });

  it('retries a read that got a 500, and posts the note once', async () => {
    const { actionType } = await setup();
    kit.fake.forced.push({ status: 500 });
    const params = { repository: 'acme/checkout', number: 2, body: 'hello' };
    // The 500 hits the marker lookup (a read, retried with back-off); the note is then posted once.
    await actionType('gitlab.mr.comment').execute(params, context('k-500'));
    expect(writes()).toHaveLength(1);
  });

  it('refuses a merge request that does not exist, and bad params naming the field', async () => {
    const { ts } = await setup();
    const missing = await refusal(propose(ts, 'gitlab.mr.comment', { repository: 'acme/checkout', number: 999, body: 'hi' }));
    expect(missing.message).toBe('gitlab.mr.comment: acme/checkout!999 was not found (or the token cannot see it)');
    const invalid = await refusal(propose(ts, 'gitlab.mr.comment', { repository: 'checkout', number: 0, body: '' }));
    expect(invalid.message).toContain('params.repository');
  });
});

describe('gitlab.mr.label', () => {
  it('adds and removes labels in one PUT, and checks what is applied', async () => {
    const { ts, actionType } = await setup();
    const params = { repository: 'acme/checkout', number: 2, add: ['ready'], remove: ['ux'] };
    const approval = await propose(ts, 'gitlab.mr.label', params);
    expect(approval).toMatchObject({ status: 'executed', result: { labels: ['frontend', 'ready'] } });
    expect(writes().map((w) => [w.method, w.path, w.body])).toEqual([
      ['PUT', '/projects/acme/checkout/merge_requests/2', { add_labels: 'ready', remove_labels: 'ux' }],
    ]);
    const action = actionType('gitlab.mr.label');
    expect(await action.checkExecuted!({ ...params }, context(approval.idempotencyKey))).toMatchObject({ executed: true });
    expect(await action.checkExecuted!({ ...params, add: ['other'], remove: [] }, context('k'))).toEqual({ executed: false });
    const comma = await refusal(propose(ts, 'gitlab.mr.label', { repository: 'acme/checkout', number: 2, add: ['a,b'] }));
    expect(comma.message).toContain('cannot contain a comma');
  });
});

describe('gitlab.mr.merge', () => {
  it('waits for a lead under the built-in policy, then merges with the head sha the approver saw', async () => {
    const { ts } = await setup();
    const proposed = await propose(ts, 'gitlab.mr.merge', { repository: 'acme/checkout', number: 2, squash: true });
    expect(proposed).toMatchObject({ status: 'pending', risk: 'high', mode: 'require_approval' });
    const decided = await ts.approvals.decide(proposed.id, { decision: 'approve', by: 'lead' });
    expect(decided).toMatchObject({ status: 'executed', result: { merged: true } });
    expect(writes().map((w) => [w.method, w.path, w.body])).toEqual([
      ['PUT', '/projects/acme/checkout/merge_requests/2/merge', { sha: 'b2'.repeat(20), squash: true }],
    ]);
    expect(mr(2).state).toBe('merged');
  });

  it('does not merge when the head moved between proposal and approval', async () => {
    const { ts } = await setup();
    const proposed = await propose(ts, 'gitlab.mr.merge', { repository: 'acme/checkout', number: 2 });
    mr(2).sha = 'e'.repeat(40);
    const decided = await ts.approvals.decide(proposed.id, { decision: 'approve', by: 'lead' });
    expect(decided.status).toBe('failed');
    expect(decided.error).toEqual({
      code: 'stale',
      message: `precondition no longer holds: head moved from ${'b2'.repeat(20)} to ${'e'.repeat(40)} since the merge was proposed`,
    });
    expect(writes()).toEqual([]);
  });

  it('refuses what GitLab would not merge: not approved, a draft, merged, not the expected head', async () => {
    const { ts } = await setup();
    mr(2).detailed_merge_status = 'not_approved';
    const notApproved = await refusal(propose(ts, 'gitlab.mr.merge', { repository: 'acme/checkout', number: 2 }));
    expect(notApproved.message).toBe('gitlab.mr.merge: acme/checkout!2 is not approved yet (its approval rules are not satisfied)');
    mr(2).detailed_merge_status = 'mergeable';
    const wrong = await refusal(
      propose(ts, 'gitlab.mr.merge', { repository: 'acme/checkout', number: 2, expectedHeadSha: 'a'.repeat(40) }),
    );
    expect(wrong.message).toBe(`gitlab.mr.merge: head is ${'b2'.repeat(20)}, not the expected ${'a'.repeat(40)}`);
    const merged = await refusal(propose(ts, 'gitlab.mr.merge', { repository: 'acme/checkout', number: 1 }));
    expect(merged.message).toBe('gitlab.mr.merge: acme/checkout!1 is already merged');
    mr(2).draft = true;
    const draft = await refusal(propose(ts, 'gitlab.mr.merge', { repository: 'acme/checkout', number: 2 }));
    expect(draft.message).toBe('gitlab.mr.merge: acme/checkout!2 is a draft');
  });

  it('never sends a merge twice: a lost answer is settled by re-reading the merge request', async () => {
    const { ts } = await setup();
    kit.fake.dropAnswer = (r) => r.method === 'PUT';
    const proposed = await propose(ts, 'gitlab.mr.merge', { repository: 'acme/checkout', number: 2 });
    const decided = await ts.approvals.decide(proposed.id, { decision: 'approve', by: 'lead' });
    expect(decided).toMatchObject({ status: 'executed', result: { merged: true, sha: 'f'.repeat(40) } });
    expect(writes()).toHaveLength(1);
  });

  it('never sends a merge twice: after a 502 the merge request is re-read and the merge fails', async () => {
    const { actionType } = await setup();
    const action = actionType('gitlab.mr.merge');
    const params = { repository: 'acme/checkout', number: 2 };
    kit.fake.forced.push({ status: 502 });
    await expect(action.execute(params, context('k-502'))).rejects.toThrow('it may or may not have taken effect');
    expect(writes()).toHaveLength(1);
    expect(mr(2).state).toBe('opened');
    expect(await action.checkExecuted!(params, context('k-502'))).toEqual({ executed: false });
  });
});
