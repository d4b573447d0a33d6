import { type ActionContext, type ActionType, silentLogger, type TeamState, TeamStateError } from '@teamstate/core';
import { afterEach, describe, expect, it } from 'vitest';
import { NOW, openTeamState, recordingSleep, teamOfRepository, testConnector, useFakeGitHub } from './github/github-test-kit.js';

const kit = useFakeGitHub();

// Writes to pull requests run at once here, except merges (a lead approves) and closures (anyone but the requester).
const policy = {
  actions: {
    'github.pr.*': { mode: 'auto' as const },
    'github.pr.merge': { mode: 'require_approval' as const, risk: 'high' as const },
    'github.pr.close': { mode: 'ask' as const },
  },
  approvers: { high: ['lead'] },
};

let open: TeamState[] = [];
afterEach(async () => {
  for (const ts of open) await ts.close();
  open = [];
});

async function setup() {
  const waits = recordingSleep();
  const connector = testConnector({ repositories: ['acme/api'], teamOfRepository }, waits);
  const ts = await openTeamState([connector], { policy });
  await ts.import({
    format: 'teamstate.bundle/v1',
    people: [
      { id: 'lead', name: 'Lea Lead' },
      { id: 'assistant', name: 'Assistant' },
    ],
  });
  open.push(ts);
  const actionType = (type: string) => connector.actions!.find((a) => a.type === type)! as ActionType;
  return { ts, actionType, waits };
}

const context = (idempotencyKey: string, proposedState?: unknown): ActionContext => ({
  workspace: 'default',
  approvalId: 'apr_test',
  idempotencyKey,
  requestedBy: 'assistant',
  target: 'acme/api#107',
  limits: {},
  deadline: new Date(NOW.getTime() + 3_600_000),
  proposedState,
  log: silentLogger,
  now: () => NOW,
});

const propose = (ts: TeamState, type: string, params: Record<string, unknown>) =>
  ts.actions.propose({ type, target: `${params.repository}#${params.number}`, params, reason: 'tests', requestedBy: 'assistant' });

const writes = () => kit.fake.requests.filter((r) => r.method !== 'GET' && r.path !== '/graphql');
const comments = (number: number) => kit.fake.repository('acme/api').comments?.[String(number)] ?? [];

async function refusal(promise: Promise<unknown>): Promise<TeamStateError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!TeamStateError.isInstance(error)) throw new Error(`expected a TeamStateError, got ${String(error)}`);
  return error;
}

describe('github.pr.comment', () => {
  it('comments once with a hidden idempotency marker; running the same approval again posts nothing', async () => {
    const { ts, actionType } = await setup();
    const action = actionType('github.pr.comment');
    const approval = await propose(ts, 'github.pr.comment', {
      repository: 'acme/api',
      number: 107,
      body: 'Ready to merge once CI is green.',
    });
    expect(approval.status).toBe('executed');
    expect(comments(107).map((c) => c.body)).toEqual([`Ready to merge once CI is green.\n\n<!-- teamstate:${approval.idempotencyKey} -->`]);
    const params = { repository: 'acme/api', number: 107, body: 'Ready to merge once CI is green.' };
    const again = await action.execute(params, context(approval.idempotencyKey));
    expect(again).toMatchObject({ alreadyPosted: true, commentId: comments(107)[0]!.id });
    expect(comments(107)).toHaveLength(1);
    expect(await action.checkExecuted!(params, context(approval.idempotencyKey))).toMatchObject({ executed: true });
    expect(await action.checkExecuted!(params, context('another-key'))).toEqual({ executed: false });
  });

  it('never sends a comment twice: a 502 is not retried, and the approval fails', async () => {
    const { ts } = await setup();
    kit.fake.intercept((r) =>
      r.method === 'POST' && r.path.endsWith('/comments') ? { status: 502, body: { message: 'Server Error' } } : undefined,
    );
    const approval = await propose(ts, 'github.pr.comment', { repository: 'acme/api', number: 107, body: 'hello' });
    expect(approval.status).toBe('failed');
    expect(approval.error?.message).toMatch(/502.*may or may not have taken effect; it was not sent again/);
    expect(writes()).toHaveLength(1);
    // It re-read the comments to find out instead.
    expect(kit.fake.requests.at(-1)).toMatchObject({ method: 'GET', path: '/repos/acme/api/issues/107/comments' });
  });

  it('when the answer to the write is lost, re-reads and finds the comment it posted', async () => {
    const { ts } = await setup();
    kit.fake.dropAnswer = (r) => r.method === 'POST' && r.path.endsWith('/comments');
    const approval = await propose(ts, 'github.pr.comment', { repository: 'acme/api', number: 107, body: 'hello' });
    expect(approval.status).toBe('executed');
    expect(writes()).toHaveLength(1);
    expect(comments(107)).toHaveLength(1);
  });

  it('does not wait out a rate limit on a write: it fails with the wait GitHub asked for', async () => {
    const { ts, waits } = await setup();
    kit.fake.intercept((r) =>
      r.method === 'POST'
        ? { status: 403, headers: { 'retry-after': '90' }, body: { message: 'You have exceeded a secondary rate limit.' } }
        : undefined,
    );
    const approval = await propose(ts, 'github.pr.comment', { repository: 'acme/api', number: 107, body: 'hello' });
    expect(approval.status).toBe('failed');
    expect(approval.error?.message).toMatch(/rate limited; the write was not sent again \(GitHub asks to wait 90 s\)/);
    expect(writes()).toHaveLength(1);
    expect(waits.waits).toEqual([]);
  });

  it('refuses a pull request that does not exist, and params that are not valid', async () => {
    const { ts } = await setup();
    const missing = await refusal(propose(ts, 'github.pr.comment', { repository: 'acme/api', number: 999, body: 'hello' }));
    expect(missing.code).toBe('precondition_failed');
    expect(missing.message).toBe('github.pr.comment: acme/api#999 was not found (or the token cannot see it)');
    const invalid = await refusal(propose(ts, 'github.pr.comment', { repository: 'api', number: 0, body: '' }));
    expect(invalid.code).toBe('invalid_params');
    expect(invalid.message).toMatch(/params\.repository: expected "owner\/name"/);
    expect(invalid.message).toMatch(/params\.body: must not be empty/);
  });
});

describe('github.pr.label', () => {
  it('adds and removes labels; applying it again changes nothing; checkExecuted compares the labels', async () => {
    const { ts, actionType } = await setup();
    const action = actionType('github.pr.label');
    const params = { repository: 'acme/api', number: 107, add: ['ready-to-merge'], remove: ['backend', 'not-there'] };
    const approval = await propose(ts, 'github.pr.label', params);
    expect(approval).toMatchObject({ status: 'executed', result: { labels: ['ready-to-merge'] } });
    const pr = () => kit.fake.repository('acme/api').pullRequests.find((p) => p.number === 107)!;
    expect(pr().labels).toEqual([{ name: 'ready-to-merge' }]);
    await action.execute({ ...params }, context(approval.idempotencyKey));
    expect(pr().labels).toEqual([{ name: 'ready-to-merge' }]);
    expect(await action.checkExecuted!({ ...params }, context(approval.idempotencyKey))).toMatchObject({ executed: true });
    expect(await action.checkExecuted!({ ...params, add: ['other'], remove: [] }, context('k'))).toEqual({ executed: false });
    const empty = await refusal(propose(ts, 'github.pr.label', { repository: 'acme/api', number: 107 }));
    expect(empty.message).toMatch(/params\.add: give at least one label to add or remove/);
  });
});

describe('github.pr.request_review', () => {
  it('requests reviews on an open pull request and refuses a closed one', async () => {
    const { ts, actionType } = await setup();
    const action = actionType('github.pr.request_review');
    const approval = await propose(ts, 'github.pr.request_review', {
      repository: 'acme/api',
      number: 107,
      reviewers: ['carlam'],
      teamReviewers: ['payments'],
    });
    expect(approval).toMatchObject({ status: 'executed', result: { requested: ['carlam'], teams: ['payments'] } });
    const params = { repository: 'acme/api', number: 107, reviewers: ['CarlaM'], teamReviewers: [] };
    expect(await action.checkExecuted!(params, context(approval.idempotencyKey))).toMatchObject({ executed: true });
    const closed = await refusal(propose(ts, 'github.pr.request_review', { repository: 'acme/api', number: 104, reviewers: ['anag'] }));
    expect(closed.message).toBe('github.pr.request_review: acme/api#104 is closed');
  });
});

describe('github.pr.merge', () => {
  const head107 = () => kit.fake.repository('acme/api').pullRequests.find((p) => p.number === 107)!.headRefOid;

  it('merges after approval with the head sha the approver saw', async () => {
    const { ts } = await setup();
    const head = head107();
    const proposed = await propose(ts, 'github.pr.merge', { repository: 'acme/api', number: 107, method: 'squash', expectedHeadSha: head });
    expect(proposed).toMatchObject({ status: 'pending', risk: 'high' });
    const decided = await ts.approvals.decide(proposed.id, { decision: 'approve', by: 'lead' });
    expect(decided).toMatchObject({ status: 'executed', result: { merged: true } });
    const merge = writes().find((r) => r.method === 'PUT')!;
    expect(merge.path).toBe('/repos/acme/api/pulls/107/merge');
    // GitHub itself refuses the merge if the head moves after this check.
    expect(merge.body).toEqual({ merge_method: 'squash', sha: head });
    expect(kit.fake.repository('acme/api').pullRequests.find((p) => p.number === 107)!.state).toBe('MERGED');
  });

  it('does not merge when the head moved between proposal and approval', async () => {
    const { ts } = await setup();
    const before = head107();
    const proposed = await propose(ts, 'github.pr.merge', { repository: 'acme/api', number: 107 });
    const after = 'f'.repeat(40);
    kit.fake.repository('acme/api').pullRequests.find((p) => p.number === 107)!.headRefOid = after;
    const decided = await ts.approvals.decide(proposed.id, { decision: 'approve', by: 'lead' });
    expect(decided.status).toBe('failed');
    expect(decided.error).toEqual({
      code: 'stale',
      message: `precondition no longer holds: head moved from ${before} to ${after} since the merge was proposed`,
    });
    expect(writes()).toEqual([]);
  });

  it('refuses when the head is not the expected one, or GitHub cannot merge it', async () => {
    const { ts } = await setup();
    const wrong = await refusal(propose(ts, 'github.pr.merge', { repository: 'acme/api', number: 107, expectedHeadSha: 'a'.repeat(40) }));
    expect(wrong.message).toBe(`github.pr.merge: head is ${head107()}, not the expected ${'a'.repeat(40)}`);
    const blocked = await refusal(propose(ts, 'github.pr.merge', { repository: 'acme/api', number: 105 }));
    expect(blocked.message).toBe(
      'github.pr.merge: acme/api#105 is blocked by branch protection (required reviews or status checks are missing)',
    );
    const merged = await refusal(propose(ts, 'github.pr.merge', { repository: 'acme/api', number: 101 }));
    expect(merged.message).toBe('github.pr.merge: acme/api#101 is already merged');
    const draft = await refusal(propose(ts, 'github.pr.merge', { repository: 'acme/api', number: 103 }));
    expect(draft.message).toBe('github.pr.merge: acme/api#103 is a draft');
  });

  it('asks again while GitHub is still computing mergeability', async () => {
    const { ts, waits } = await setup();
    const pr = kit.fake.repository('acme/api').pullRequests.find((p) => p.number === 107)!;
    pr.mergeable = 'UNKNOWN';
    let reads = 0;
    kit.fake.intercept((r) => {
      if (r.method === 'GET' && r.path === '/repos/acme/api/pulls/107' && ++reads === 2) pr.mergeable = 'MERGEABLE';
      return undefined;
    });
    const proposed = await propose(ts, 'github.pr.merge', { repository: 'acme/api', number: 107 });
    expect(proposed.status).toBe('pending');
    expect(waits.waits).toEqual([1_000]);
  });

  it('never sends a merge twice: a lost answer is settled by re-reading the pull request', async () => {
    const { ts } = await setup();
    kit.fake.dropAnswer = (r) => r.method === 'PUT';
    const proposed = await propose(ts, 'github.pr.merge', { repository: 'acme/api', number: 107 });
    const decided = await ts.approvals.decide(proposed.id, { decision: 'approve', by: 'lead' });
    expect(decided).toMatchObject({ status: 'executed', result: { merged: true } });
    expect(writes()).toHaveLength(1);
  });

  it('a 502 on the merge is not retried; the pull request is re-read and the approval fails', async () => {
    const { ts, actionType } = await setup();
    const action = actionType('github.pr.merge');
    kit.fake.intercept((r) => (r.method === 'PUT' ? { status: 502, body: { message: 'Server Error' } } : undefined));
    const proposed = await propose(ts, 'github.pr.merge', { repository: 'acme/api', number: 107 });
    const decided = await ts.approvals.decide(proposed.id, { decision: 'approve', by: 'lead' });
    expect(decided.status).toBe('failed');
    expect(writes()).toHaveLength(1);
    expect(await action.checkExecuted!({ repository: 'acme/api', number: 107 }, context(proposed.idempotencyKey))).toEqual({
      executed: false,
    });
  });

  it('after a crash, checkExecuted tells a merged pull request from one that is not', async () => {
    const { actionType } = await setup();
    const action = actionType('github.pr.merge');
    const params = { repository: 'acme/api', number: 107 };
    expect(await action.checkExecuted!(params, context('k'))).toEqual({ executed: false });
    await action.execute(params, context('k', { headSha: head107() }));
    expect(await action.checkExecuted!(params, context('k'))).toMatchObject({ executed: true, result: { merged: true } });
  });
});

describe('github.pr.close', () => {
  it('closes an open pull request once and refuses a merged one', async () => {
    const { ts, actionType } = await setup();
    const action = actionType('github.pr.close');
    const approval = await propose(ts, 'github.pr.close', { repository: 'acme/api', number: 105 });
    expect(approval).toMatchObject({ status: 'pending', risk: 'medium' });
    const done = await ts.approvals.decide(approval.id, { decision: 'approve', by: 'lead' });
    expect(done).toMatchObject({ status: 'executed', result: { closed: true } });
    expect(await action.checkExecuted!({ repository: 'acme/api', number: 105 }, context(approval.idempotencyKey))).toMatchObject({
      executed: true,
    });
    const merged = await refusal(propose(ts, 'github.pr.close', { repository: 'acme/api', number: 101 }));
    expect(merged.message).toBe('github.pr.close: acme/api#101 is merged');
  });
});

describe('the action catalogue', () => {
  it('lists the six pull request actions and the webhook install with their default risk', async () => {
    const { ts } = await setup();
    const catalogue = ts.actions
      .list()
      .filter((a) => a.type.startsWith('github.'))
      .map((a) => [a.type, a.risk]);
    expect(catalogue).toEqual([
      ['github.pr.close', 'medium'],
      ['github.pr.comment', 'low'],
      ['github.pr.label', 'low'],
      ['github.pr.merge', 'high'],
      ['github.pr.open_file_change', 'high'],
      ['github.pr.request_review', 'low'],
      ['github.webhook.create', 'medium'],
    ]);
  });
});
