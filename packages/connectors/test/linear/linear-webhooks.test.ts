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
});
