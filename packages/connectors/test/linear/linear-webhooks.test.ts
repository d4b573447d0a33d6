import { createHmac } from 'node:crypto';
import { verifyLinearSignature } from '@teamstate/connectors/linear';
import type { TeamState } from '@teamstate/core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createFakeLinear, fixture } from './fake-linear.js';
import { openWorkspace, testConnector, WEBHOOK_SECRET } from './linear-test-setup.js';

const fake = createFakeLinear();
beforeAll(() => fake.listen());
afterAll(() => fake.close());
beforeEach(() => fake.reset());

/** Delivers a fixture the way Linear does: raw bytes, `Linear-Signature`, `Linear-Delivery`, `Linear-Event`. */
function deliver(ts: TeamState, name: string, id: string, options: { secret?: string; body?: string; timestamp?: number } = {}) {
  const payload = fixture<{ type: string; webhookTimestamp: number }>(name);
  if (options.timestamp !== undefined) payload.webhookTimestamp = options.timestamp;
  const rawBody = Buffer.from(options.body ?? JSON.stringify(payload));
  const signature = createHmac('sha256', options.secret ?? WEBHOOK_SECRET)
    .update(rawBody)
    .digest('hex');
  return ts.webhooks.receive('linear', {
    headers: { 'content-type': 'application/json', 'linear-signature': signature, 'linear-delivery': id, 'linear-event': payload.type },
    rawBody,
  });
}

const deliveries = async (ts: TeamState) => (await ts.store.execute('SELECT count(*) AS n FROM webhook_deliveries')).rows[0]!.n;

const synced = async () => {
  const ts = await openWorkspace(testConnector());
  expect((await ts.sync()).ok).toBe(true);
  return ts;
};

describe('linear webhooks', () => {
  it('checks Linear-Signature over the raw bytes in constant time', () => {
    const body = Buffer.from('{"action":"update"}');
    const good = createHmac('sha256', 's3cret').update(body).digest('hex');
    expect(verifyLinearSignature('s3cret', body, good)).toBe(true);
    expect(verifyLinearSignature('s3cret', body, good.toUpperCase())).toBe(true);
    expect(verifyLinearSignature('other', body, good)).toBe(false);
    expect(verifyLinearSignature('s3cret', Buffer.from('{"action":"remove"}'), good)).toBe(false);
    expect(verifyLinearSignature('s3cret', body, `sha256=${good}`)).toBe(false);
    expect(verifyLinearSignature('s3cret', body, undefined)).toBe(false);
  });

  it('refuses a bad signature, a tampered body and a stale or future timestamp, storing nothing', async () => {
    const ts = await synced();
    const before = await ts.export();
    expect((await deliver(ts, 'webhook-issue-update.json', 'd-1', { secret: 'not-the-secret' })).status).toBe(401);
    const original = JSON.stringify(fixture('webhook-issue-update.json'));
    const signature = createHmac('sha256', WEBHOOK_SECRET).update(original).digest('hex');
    const tampered = await ts.webhooks.receive('linear', {
      headers: { 'linear-signature': signature, 'linear-delivery': 'd-2' },
      rawBody: Buffer.from(original.replace('"In Progress"', '"Done"')),
    });
    expect(tampered.status).toBe(401);
    // Signed correctly, but captured more than a minute ago (or stamped ahead of the clock): a replay.
    expect((await deliver(ts, 'webhook-issue-update.json', 'd-3', { timestamp: Date.parse('2026-03-18T09:58:59.000Z') })).status).toBe(401);
    expect((await deliver(ts, 'webhook-issue-update.json', 'd-4', { timestamp: Date.parse('2026-03-18T10:01:01.000Z') })).status).toBe(401);
    expect(await deliveries(ts)).toBe(0);
    expect(await ts.export()).toEqual(before);
    await ts.close();
  });

  it('stores an updated issue exactly as a sync would, once per delivery', async () => {
    const ts = await synced();
    fake.move('PAY-4', 'In Progress', '2026-03-18T09:59:40.000Z');
    fake.received.length = 0;
    const first = await deliver(ts, 'webhook-issue-update.json', 'd-10');
    expect(first).toEqual({ status: 202, body: { ok: true, message: 'Issue.update processed' } });
    expect(fake.received.map((r) => r.operation)).toEqual(['TeamstateIssue']);
    const key = (await ts.export()).workItems!.find((w) => w.key === 'PAY-4')!;
    expect(key).toMatchObject({ state: 'In Progress', statusCategory: 'in_progress', updatedAt: '2026-03-18T09:59:40.000Z' });
    expect(key.transitions?.at(-1)).toMatchObject({ from: 'Todo', to: 'In Progress', at: '2026-03-18T09:59:40.000Z' });

    const again = await deliver(ts, 'webhook-issue-update.json', 'd-10');
    expect(again.body).toMatchObject({ ok: true, duplicate: true });
    expect(fake.received).toHaveLength(1);

    const other = await openWorkspace(testConnector());
    expect((await other.sync()).ok).toBe(true);
    const viaSync = (await other.export()).workItems!.find((w) => w.key === 'PAY-4');
    expect(key).toEqual(viaSync);
    await other.close();
    await ts.close();
  });

  it('removes a deleted issue', async () => {
    const ts = await synced();
    const id = (await ts.export()).workItems!.find((w) => w.key === 'PAY-5')!.id;
    const removed = await deliver(ts, 'webhook-issue-remove.json', 'd-20');
    expect(removed.status).toBe(202);
    expect((await ts.export()).workItems!.some((w) => w.id === id)).toBe(false);
    await ts.close();
  });

  it('stores a changed cycle as its sprint, keeping the committed scope the sync worked out', async () => {
    const ts = await synced();
    const cycle = fake.cycles.find((c) => c.team === 'PAY' && c.number === 12)!;
    const before = (await ts.export()).sprints!.find((s) => s.id === `linear-cycle-${cycle.id}`)!;
    // The team extended the cycle by two days.
    cycle.endsAt = '2026-03-25T08:00:00.000Z';
    cycle.updatedAt = '2026-03-18T09:59:30.000Z';
    const delivered = await deliver(ts, 'webhook-cycle-update.json', 'd-30');
    expect(delivered).toEqual({ status: 202, body: { ok: true, message: 'Cycle.update processed' } });
    expect(fake.received.at(-1)?.operation).toBe('TeamstateCycle');
    const after = (await ts.export()).sprints!.find((s) => s.id === before.id)!;
    expect(after).toEqual({ ...before, endAt: '2026-03-25T08:00:00.000Z' });
    await ts.close();
  });

  describe('relations', () => {
    const idOf = (key: string) => fake.issues.find((i) => i.identifier === key)!.id;
    const blockedBy = async (ts: TeamState, key: string) => (await ts.workItems.dependencies(key)).blockedBy.map((e) => e.key);

    it('adds, then drops, a blocks relation when its IssueRelation webhooks arrive', async () => {
      const ts = await synced();
      expect(await blockedBy(ts, 'PAY-4')).toEqual([]);
      // PAY-2 blocks PAY-4 in Linear: the relation is stored on PAY-2.
      fake.relations.push({
        id: '0c6f2b8e-41d7-4a3e-9b52-7e1d3f6a8c90',
        type: 'blocks',
        issueId: idOf('PAY-2'),
        relatedIssueId: idOf('PAY-4'),
      });
      fake.received.length = 0;
      const created = await deliver(ts, 'webhook-issue-relation-create.json', 'd-40');
      expect(created).toEqual({ status: 202, body: { ok: true, message: 'IssueRelation.create processed' } });
      expect(fake.received.map((r) => r.operation)).toEqual(['TeamstateRelations']);
      expect(await blockedBy(ts, 'PAY-4')).toEqual(['PAY-2']);

      fake.relations = [];
      const removed = await deliver(ts, 'webhook-issue-relation-remove.json', 'd-41');
      expect(removed).toEqual({ status: 202, body: { ok: true, message: 'IssueRelation.remove processed' } });
      expect(await blockedBy(ts, 'PAY-4')).toEqual([]);
      expect((await ts.export()).workItemLinks ?? []).toEqual([]);
      await ts.close();
    });

    it('moves a relation whose issue changed off the issue it was on (updatedFrom.issueId)', async () => {
      fake.relations.push({
        id: '0c6f2b8e-41d7-4a3e-9b52-7e1d3f6a8c90',
        type: 'blocks',
        issueId: idOf('PAY-2'),
        relatedIssueId: idOf('PAY-4'),
      });
      const ts = await synced();
      expect(await blockedBy(ts, 'PAY-4')).toEqual(['PAY-2']);
      // The relation now starts from PAY-3: Linear names the new issue in data and the old one in updatedFrom.
      fake.relations[0]!.issueId = idOf('PAY-3');
      fake.received.length = 0;
      expect((await deliver(ts, 'webhook-issue-relation-update.json', 'd-44')).status).toBe(202);
      expect(fake.received.map((r) => r.operation)).toEqual(['TeamstateRelations']);
      expect(await blockedBy(ts, 'PAY-4')).toEqual(['PAY-3']);
      await ts.close();
    });

    it("re-reads an updated issue's relations, replacing those it names", async () => {
      fake.relations.push({ id: 'rel-1', type: 'blocks', issueId: idOf('PAY-4'), relatedIssueId: idOf('PAY-6') });
      const ts = await synced();
      expect(await blockedBy(ts, 'PAY-6')).toEqual(['PAY-4']);
      // PAY-4 no longer blocks PAY-6 but blocks PAY-2, and relates to PAY-3 and PAY-1 (a second page of relations).
      fake.relations = [
        { id: 'rel-2', type: 'blocks', issueId: idOf('PAY-4'), relatedIssueId: idOf('PAY-2') },
        { id: 'rel-3', type: 'related', issueId: idOf('PAY-4'), relatedIssueId: idOf('PAY-3') },
        { id: 'rel-4', type: 'related', issueId: idOf('PAY-4'), relatedIssueId: idOf('PAY-1') },
      ];
      fake.move('PAY-4', 'In Progress', '2026-03-18T09:59:40.000Z');
      expect((await deliver(ts, 'webhook-issue-update.json', 'd-42')).status).toBe(202);
      expect(await blockedBy(ts, 'PAY-6')).toEqual([]);
      expect(await blockedBy(ts, 'PAY-2')).toEqual(['PAY-4']);
      const key = (itemId: string) => fake.issues.find((i) => `linear-${i.id}` === itemId)?.identifier ?? itemId;
      const links = ((await ts.export()).workItemLinks ?? []).map((l) => `${key(l.from)} ${l.kind} ${key(l.to)}`);
      expect(links.sort()).toEqual(['PAY-4 blocks PAY-2', 'PAY-4 relates PAY-1', 'PAY-4 relates PAY-3']);
      await ts.close();
    });

    it('refuses an IssueRelation event without data.issueId, naming the field, with nothing stored', async () => {
      fake.relations.push({ id: 'rel-1', type: 'blocks', issueId: idOf('PAY-2'), relatedIssueId: idOf('PAY-4') });
      const ts = await synced();
      const before = await ts.export();
      const payload = fixture<{ data: Record<string, unknown> }>('webhook-issue-relation-remove.json');
      delete payload.data.issueId;
      fake.relations = [];
      fake.received.length = 0;
      const answer = await deliver(ts, 'webhook-issue-relation-remove.json', 'd-43', { body: JSON.stringify(payload) });
      expect(answer).toEqual({
        status: 400,
        body: {
          ok: false,
          message: 'IssueRelation.remove: data.issueId is missing (expected the UUID of the issue the relation is stored on)',
        },
      });
      expect(fake.received).toEqual([]);
      expect(await ts.export()).toEqual(before);
      expect(await blockedBy(ts, 'PAY-4')).toEqual(['PAY-2']);
      await ts.close();
    });
  });
});
