import { createHmac } from 'node:crypto';
import type { TeamState } from '@teamstate/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createFakeJira, type FakeJira, fixture, issueLink } from './fake-jira.js';
import { openWorkspace, syncOk, testConnector, WEBHOOK_SECRET } from './jira-test-setup.js';

let fake: FakeJira;
beforeEach(() => {
  fake = createFakeJira();
  fake.listen();
});
afterEach(() => fake.close());

/** Delivers a fixture the way Jira does: raw bytes, `X-Hub-Signature`, `X-Atlassian-Webhook-Identifier`. */
function deliver(ts: TeamState, name: string, id: string, options: { secret?: string; body?: string } = {}) {
  const rawBody = Buffer.from(options.body ?? JSON.stringify(fixture(name)));
  const signature = `sha256=${createHmac('sha256', options.secret ?? WEBHOOK_SECRET)
    .update(rawBody)
    .digest('hex')}`;
  return ts.webhooks.receive('jira', {
    headers: { 'content-type': 'application/json', 'x-hub-signature': signature, 'x-atlassian-webhook-identifier': id },
    rawBody,
  });
}

const synced = async () => {
  const ts = await openWorkspace(testConnector({ webhookSecret: WEBHOOK_SECRET }));
  await syncOk(ts);
  return ts;
};

describe('jira webhooks', () => {
  it('refuses a delivery whose signature does not match, storing nothing', async () => {
    const ts = await synced();
    fake.move('PAY-4', 'In Progress', '2026-03-24T09:00:00.000+0000', fake.users[3]);
    const forged = await deliver(ts, 'webhook-issue-updated.json', 'wh-1', { secret: 'not-the-secret' });
    expect(forged).toEqual({ status: 401, body: { ok: false, message: 'invalid or missing signature' } });
    const tampered = JSON.stringify(fixture('webhook-issue-updated.json')).replace('In Progress', 'Done');
    const rawBody = Buffer.from(tampered);
    const signedOriginal = `sha256=${createHmac('sha256', WEBHOOK_SECRET)
      .update(JSON.stringify(fixture('webhook-issue-updated.json')))
      .digest('hex')}`;
    expect(
      (
        await ts.webhooks.receive('jira', {
          headers: { 'x-hub-signature': signedOriginal, 'x-atlassian-webhook-identifier': 'wh-2' },
          rawBody,
        })
      ).status,
    ).toBe(401);
    expect((await ts.workItems.get('PAY-4'))!.state).toBe('Blocked');
    expect((await ts.store.execute('SELECT count(*) AS n FROM webhook_deliveries')).rows[0]!.n).toBe(0);
    await ts.close();
  });

  it('stores an updated issue exactly as a sync would, once per webhook identifier', async () => {
    const ts = await synced();
    fake.move('PAY-4', 'In Progress', '2026-03-24T09:00:00.000+0000', fake.users[3]);
    fake.received.length = 0;
    const first = await deliver(ts, 'webhook-issue-updated.json', 'wh-10');
    expect(first).toEqual({ status: 202, body: { ok: true, message: 'jira:issue_updated processed' } });
    // One request: the issue's complete status and sprint history (fields and statuses were read once and kept).
    expect(fake.received.map((r) => r.path)).toEqual(['/rest/api/3/field', '/rest/api/3/status', '/rest/api/3/changelog/bulkfetch']);
    const viaWebhook = await ts.workItems.get('PAY-4');
    expect(viaWebhook).toMatchObject({ state: 'In Progress', statusCategory: 'in_progress', updatedAt: '2026-03-24T09:00:00.000Z' });

    const duplicate = await deliver(ts, 'webhook-issue-updated.json', 'wh-10');
    expect(duplicate.body).toMatchObject({ ok: true, duplicate: true });

    const other = await openWorkspace(testConnector());
    await syncOk(other);
    expect(viaWebhook).toEqual(await other.workItems.get('PAY-4'));
    await other.close();
    await ts.close();
  });

  it("replaces an updated issue's links with those its payload carries, and keeps them when it carries none", async () => {
    const at = '2026-03-20T09:00:00.000+0000';
    fake.edit('PAY-3', { issuelinks: [issueLink(fake, 'Blocks', 'outwardIssue', 'PAY-4')] }, at);
    fake.edit('PAY-4', { issuelinks: [issueLink(fake, 'Blocks', 'inwardIssue', 'PAY-3')] }, at);
    const ts = await synced();
    const blockers = async () => (await ts.workItems.dependencies('PAY-4')).blockedBy.map((e) => e.key);
    expect(await blockers()).toEqual(['PAY-3']);
    fake.move('PAY-4', 'In Progress', '2026-03-24T09:00:00.000+0000', fake.users[3]);
    const payload = fixture('webhook-issue-updated.json') as { issue: { fields: Record<string, unknown> } };

    // The captured payload has no issuelinks field: what is stored stays.
    expect((await deliver(ts, 'webhook-issue-updated.json', 'wh-40')).status).toBe(202);
    expect(await blockers()).toEqual(['PAY-3']);

    // The link to PAY-3 removed, one from PAY-1 added: the issue's links are those of the payload.
    payload.issue.fields.issuelinks = [issueLink(fake, 'Blocks', 'inwardIssue', 'PAY-1')];
    expect((await deliver(ts, 'webhook-issue-updated.json', 'wh-41', { body: JSON.stringify(payload) })).status).toBe(202);
    expect(await blockers()).toEqual(['PAY-1']);
    expect((await ts.export()).workItemLinks?.map((l) => [l.from, l.to, l.kind])).toEqual([
      [(await ts.workItems.get('PAY-1'))!.id, (await ts.workItems.get('PAY-4'))!.id, 'blocks'],
    ]);

    payload.issue.fields.issuelinks = [];
    expect((await deliver(ts, 'webhook-issue-updated.json', 'wh-42', { body: JSON.stringify(payload) })).status).toBe(202);
    expect(await blockers()).toEqual([]);
    expect((await ts.export()).workItemLinks ?? []).toEqual([]);
    await ts.close();
  });

  it('keeps the newer stored issue when a captured delivery is re-sent under a new webhook identifier', async () => {
    const ts = await synced();
    fake.move('PAY-4', 'In Progress', '2026-03-24T09:00:00.000+0000', fake.users[3]);
    expect((await deliver(ts, 'webhook-issue-updated.json', 'wh-30')).status).toBe(202);
    fake.move('PAY-4', 'Done', '2026-03-25T09:00:00.000+0000', fake.users[3]);
    await syncOk(ts);
    const current = await ts.workItems.get('PAY-4');
    expect(current).toMatchObject({ state: 'Done', updatedAt: '2026-03-25T09:00:00.000Z' });

    const replay = await deliver(ts, 'webhook-issue-updated.json', 'wh-31');
    expect(replay).toMatchObject({ status: 202, body: { ok: true, stale: [current!.id] } });
    expect(await ts.workItems.get('PAY-4')).toEqual(current);
    await ts.close();
  });

  it('removes a deleted issue with its rows, and records the committed scope when a sprint starts', async () => {
    const ts = await synced();
    expect((await deliver(ts, 'webhook-issue-deleted.json', 'wh-20')).status).toBe(202);
    expect(await ts.workItems.get('PAY-7')).toBeUndefined();
    expect((await ts.sprints.get('jira-sprint-2'))!.committedItems).toEqual(['jira-10003']);

    Object.assign(fake.sprints[2], { state: 'active', startDate: '2026-03-24T08:00:00.000Z', endDate: '2026-04-07T08:00:00.000Z' });
    expect((await deliver(ts, 'webhook-sprint-started.json', 'wh-21')).status).toBe(202);
    expect(await ts.sprints.get('jira-sprint-3')).toEqual({
      id: 'jira-sprint-3',
      name: 'PAY Sprint 3',
      team: 'payments',
      state: 'active',
      startAt: '2026-03-24T08:00:00.000Z',
      endAt: '2026-04-07T08:00:00.000Z',
      committedItems: ['jira-10005'],
    });
    await ts.close();
  });

  it('acknowledges events it does not store, and answers 400 for an unusable payload', async () => {
    const ts = await synced();
    expect(await deliver(ts, 'webhook-comment-created.json', 'wh-30')).toEqual({
      status: 202,
      body: { ok: true, ignored: true, message: 'comment_created is not an event teamstate stores' },
    });
    const noIssue = JSON.stringify({ webhookEvent: 'jira:issue_updated', timestamp: 1 });
    expect(await deliver(ts, 'webhook-issue-updated.json', 'wh-31', { body: noIssue })).toEqual({
      status: 400,
      body: { ok: false, message: 'jira:issue_updated: issue.id is missing (expected the issue the event is about)' },
    });
    await ts.close();
  });

  it('answers 202 to deliveries whose processing fails (Jira down), lists them, and completes them when Jira is back', async () => {
    const ts = await synced();
    fake.move('PAY-4', 'In Progress', '2026-03-24T09:00:00.000+0000', fake.users[3]);
    Object.assign(fake.sprints[2], { state: 'active', startDate: '2026-03-24T08:00:00.000Z', endDate: '2026-04-07T08:00:00.000Z' });
    const down = { status: 502, body: { errorMessages: ['Bad Gateway'] } };
    fake.force('bulkfetch', down);
    fake.force('board', down);
    const before = [fake.count('bulkfetch'), fake.count('board')];
    const updated = await deliver(ts, 'webhook-issue-updated.json', 'wh-50');
    expect(updated).toMatchObject({ status: 202, body: { ok: true, queued: true } });
    const started = await deliver(ts, 'webhook-sprint-started.json', 'wh-51');
    expect(started).toMatchObject({ status: 202, body: { ok: true, queued: true } });
    // One try per delivery: the queue retries, not the answer.
    expect([fake.count('bulkfetch') - before[0]!, fake.count('board') - before[1]!]).toEqual([1, 1]);
    const failed = await ts.webhooks.list({ failed: true });
    expect(failed.map((d) => [d.id, d.event, d.status])).toEqual([
      ['wh-51', 'sprint_started', 'retrying'],
      ['wh-50', 'jira:issue_updated', 'retrying'],
    ]);
    expect(failed.every((d) => d.lastError?.includes('502'))).toBe(true);
    expect((await ts.workItems.get('PAY-4'))!.state).toBe('Blocked');

    for (const id of ['wh-50', 'wh-51']) expect(await ts.webhooks.retry(id)).toMatchObject({ id, status: 'processed', attempts: 2 });
    expect((await ts.workItems.get('PAY-4'))!.state).toBe('In Progress');
    expect(await ts.sprints.get('jira-sprint-3')).toMatchObject({ state: 'active', committedItems: ['jira-10005'] });
    await ts.close();
  });

  it('receives no webhooks without a secret', async () => {
    const ts = await openWorkspace(testConnector());
    expect((await deliver(ts, 'webhook-issue-updated.json', 'wh-40')).status).toBe(404);
    await ts.close();
  });
});
