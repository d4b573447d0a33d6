import { createTeamState, type Logger, type TeamState, TeamStateError, WebhookPayloadError, type WorkItem } from '@teamstate/core';
import { afterEach, describe, expect, it } from 'vitest';
import { testConnector } from '../src/testing/index.js';
import { trackerConnector } from './fixtures/tracker-connector.js';

// The tracker's webhook reads the item back from an upstream that can be down. When `partial` is set, a
// failed read-back still applies what the payload carries and asks for a retry (as the GitHub connector does).
const upstream = { down: false, partial: false, calls: 0 };
const connector = trackerConnector((event) => {
  upstream.calls += 1;
  const item = (event.payload as { item: WorkItem }).item;
  if (upstream.down) {
    if (upstream.partial)
      return { records: { workItems: [{ ...item, title: `${item.title} (from the payload)` }] }, retry: 'read-back: 502' };
    throw new Error('upstream answered 502 Bad Gateway');
  }
  return { records: { workItems: [item] } };
});

const item: WorkItem = {
  id: 'jira-1',
  source: 'jira',
  kind: 'story',
  key: 'PAY-1',
  title: 'Refunds',
  state: 'To Do',
  createdAt: '2026-03-01T09:00:00Z',
  updatedAt: '2026-03-02T09:00:00Z',
};

const START = Date.parse('2026-03-10T12:00:00Z');
let open: TeamState[] = [];
afterEach(async () => {
  for (const ts of open) await ts.close();
  open = [];
  Object.assign(upstream, { down: false, partial: false, calls: 0 });
});

async function setup() {
  const now = { ms: START };
  const logged: string[] = [];
  const record = (message: string) => void logged.push(message);
  const logger: Logger = { debug: record, info: record, warn: record, error: record };
  const ts = await createTeamState({
    database: ':memory:',
    connectors: [connector],
    clock: () => new Date(now.ms),
    logger,
    webhooks: { maxAttempts: 3, retryAfterMs: 60_000 },
  });
  open.push(ts);
  const deliver = (id: string) =>
    ts.webhooks.receive('tracker', {
      headers: { 'x-delivery': id, authorization: 'Bearer not-to-be-stored' },
      rawBody: Buffer.from(JSON.stringify({ event: 'issue_updated', item })),
    });
  return { ts, now, logged, deliver };
}

describe('webhook deliveries are persisted, then processed', () => {
  it('answers 202 when processing fails, lists the delivery as failed, and completes it after the back-off', async () => {
    const { ts, now, logged, deliver } = await setup();
    upstream.down = true;
    const answer = await deliver('d-1');
    expect(answer.status).toBe(202);
    expect(answer.body).toMatchObject({ ok: true, queued: true });
    expect(await ts.workItems.get('jira-1')).toBeUndefined();

    const failed = await ts.webhooks.list({ failed: true });
    expect(failed).toEqual([
      {
        provider: 'tracker',
        id: 'd-1',
        event: 'issue_updated',
        status: 'retrying',
        receivedAt: '2026-03-10T12:00:00.000Z',
        attemptedAt: '2026-03-10T12:00:00.000Z',
        attempts: 1,
        nextAttemptAt: '2026-03-10T12:01:00.000Z',
        lastError: 'upstream answered 502 Bad Gateway',
      },
    ]);
    expect(logged.filter((line) => line.includes('d-1') && line.includes('502'))).toHaveLength(1);
    // The raw delivery is kept for the retry, without credentials.
    const row = (await ts.store.execute("SELECT headers, body FROM webhook_deliveries WHERE delivery_id = 'd-1'")).rows[0]!;
    expect(JSON.parse(String(row.headers))).toEqual({ 'x-delivery': 'd-1' });
    expect(JSON.parse(String(row.body))).toMatchObject({ item: { id: 'jira-1' } });

    // Not due yet: a drain leaves it alone.
    upstream.down = false;
    expect(await ts.webhooks.drain()).toMatchObject({ attempted: 0 });
    now.ms += 60_000;
    expect(await ts.webhooks.drain()).toMatchObject({ attempted: 1, processed: 1 });
    expect(await ts.workItems.get('jira-1')).toMatchObject({ title: 'Refunds' });
    expect(await ts.webhooks.list({ failed: true })).toEqual([]);
    expect(await ts.webhooks.list()).toEqual([expect.objectContaining({ id: 'd-1', status: 'processed', attempts: 2 })]);
    // Still a duplicate when sent again.
    expect((await deliver('d-1')).body).toMatchObject({ duplicate: true });
    expect(upstream.calls).toBe(2);
  });

  it('backs off exponentially and gives up after maxAttempts; retry(id) replays it now', async () => {
    const { ts, now, deliver } = await setup();
    upstream.down = true;
    await deliver('d-2');
    now.ms += 60_000;
    expect(await ts.webhooks.drain()).toMatchObject({ attempted: 1, retrying: 1 });
    expect((await ts.webhooks.list())[0]).toMatchObject({ attempts: 2, nextAttemptAt: '2026-03-10T12:03:00.000Z' });
    now.ms += 120_000;
    expect(await ts.webhooks.drain()).toMatchObject({ attempted: 1, failed: 1 });
    const [given] = await ts.webhooks.list({ failed: true });
    expect(given).toMatchObject({ id: 'd-2', status: 'failed', attempts: 3 });
    expect(given).not.toHaveProperty('nextAttemptAt');
    now.ms += 86_400_000;
    expect(await ts.webhooks.drain()).toMatchObject({ attempted: 0 });

    upstream.down = false;
    expect(await ts.webhooks.retry('d-2')).toMatchObject({ id: 'd-2', status: 'processed', attempts: 4 });
    expect(await ts.workItems.get('jira-1')).toMatchObject({ title: 'Refunds' });
  });

  it('applies what the payload carries at once and retries the read-back later', async () => {
    const { ts, now, deliver } = await setup();
    Object.assign(upstream, { down: true, partial: true });
    expect((await deliver('d-3')).status).toBe(202);
    expect(await ts.workItems.get('jira-1')).toMatchObject({ title: 'Refunds (from the payload)' });
    expect(await ts.webhooks.list({ failed: true })).toEqual([
      expect.objectContaining({ id: 'd-3', status: 'retrying', lastError: 'read-back: 502' }),
    ]);
    upstream.down = false;
    now.ms += 60_000;
    await ts.webhooks.drain();
    expect(await ts.workItems.get('jira-1')).toMatchObject({ title: 'Refunds' });
    expect((await ts.webhooks.list())[0]).toMatchObject({ status: 'processed' });
  });

  it('refuses to retry an unknown id, a processed delivery or a bad provider, and changes nothing', async () => {
    const { ts, deliver } = await setup();
    await deliver('d-4');
    const before = await ts.webhooks.list();
    const refused = async (run: () => Promise<unknown>) => {
      try {
        await run();
      } catch (error) {
        expect(TeamStateError.isInstance(error)).toBe(true);
        return (error as Error).message;
      }
      throw new Error('expected a refusal');
    };
    expect(await refused(() => ts.webhooks.retry('nope'))).toBe(
      'webhook delivery "nope" is not stored (see teamstate webhooks list for the ids)',
    );
    expect(await refused(() => ts.webhooks.retry('d-4'))).toBe('webhook delivery "d-4" was already processed; there is nothing to retry');
    expect(await refused(() => ts.webhooks.retry('d-4', { provider: 'github' }))).toBe(
      'webhook delivery "d-4" of github is not stored (see teamstate webhooks list for the ids)',
    );
    expect(await ts.webhooks.list()).toEqual(before);
    expect(upstream.calls).toBe(1);
  });

  it('get(id) returns one stored delivery as the list has it, undefined for an id not stored or of another provider', async () => {
    const { ts, deliver } = await setup();
    upstream.down = true;
    await deliver('d-5');
    await ts.webhooks.idle();
    const [listed] = await ts.webhooks.list();
    expect(await ts.webhooks.get('d-5')).toEqual(listed);
    expect(await ts.webhooks.get('d-5', { provider: 'tracker' })).toEqual(listed);
    expect(listed).toMatchObject({ id: 'd-5', status: 'retrying', lastError: expect.stringContaining('502 Bad Gateway') });
    expect(await ts.webhooks.get('nope')).toBeUndefined();
    expect(await ts.webhooks.get('d-5', { provider: 'github' })).toBeUndefined();
  });

  it('answers 202 without waiting for an upstream that hangs, and aborts the attempt after attemptTimeoutMs', async () => {
    // The handler waits for an upstream that never answers, until its signal is aborted.
    const hanging = testConnector({
      id: 'hanging',
      webhooks: {
        provider: 'hanging',
        verify: () => true,
        deliveryId: (request) => request.headers['x-delivery'],
        eventName: () => 'issue_updated',
        handle: (_event, ctx) =>
          new Promise((_resolve, reject) => ctx.signal.addEventListener('abort', () => reject(new Error('upstream request aborted')))),
      },
    });
    const ts = await createTeamState({
      database: ':memory:',
      connectors: [hanging],
      clock: () => new Date(START),
      webhooks: { answerWithinMs: 20, attemptTimeoutMs: 200 },
    });
    open.push(ts);
    const answer = await ts.webhooks.receive('hanging', { headers: { 'x-delivery': 'h-1' }, rawBody: Buffer.from('{}') });
    expect(answer).toMatchObject({ status: 202, body: { ok: true, queued: true } });
    await ts.webhooks.idle();
    expect(await ts.webhooks.list({ failed: true })).toEqual([
      expect.objectContaining({ id: 'h-1', status: 'retrying', attempts: 1, lastError: expect.stringMatching(/^aborted: /) }),
    ]);
  });

  it('keeps a delivery found unusable only after it was answered 202, as failed (the sender was told it is stored)', async () => {
    const slow = testConnector({
      id: 'slow',
      webhooks: {
        provider: 'slow',
        verify: () => true,
        deliveryId: (request) => request.headers['x-delivery'],
        eventName: () => 'issue_updated',
        handle: async () => {
          await new Promise((resolve) => setTimeout(resolve, 100));
          throw new WebhookPayloadError('issue.key: missing');
        },
      },
    });
    const ts = await createTeamState({
      database: ':memory:',
      connectors: [slow],
      clock: () => new Date(START),
      webhooks: { answerWithinMs: 10 },
    });
    open.push(ts);
    const answer = await ts.webhooks.receive('slow', { headers: { 'x-delivery': 's-1' }, rawBody: Buffer.from('{}') });
    expect(answer.status).toBe(202);
    await ts.webhooks.idle();
    expect(await ts.webhooks.list()).toEqual([expect.objectContaining({ id: 's-1', status: 'failed', lastError: 'issue.key: missing' })]);
  });

  it('refuses an outcome whose replaceLinks is malformed, naming the field, with nothing stored or removed', async () => {
    const odd = testConnector({
      id: 'odd',
      webhooks: {
        provider: 'odd',
        verify: () => true,
        deliveryId: (request) => request.headers['x-delivery'],
        eventName: () => 'issue_updated',
        handle: async () => ({
          records: { workItems: [item] },
          replaceLinks: { items: 'jira-1', sides: 'both', kinds: ['blocks'] } as never,
        }),
      },
    });
    const ts = await createTeamState({ database: ':memory:', connectors: [odd], clock: () => new Date(START) });
    open.push(ts);
    const answer = await ts.webhooks.receive('odd', { headers: { 'x-delivery': 'o-1' }, rawBody: Buffer.from('{}') });
    expect(answer.status).toBe(400);
    expect(answer.body).toMatchObject({
      ok: false,
      message: expect.stringMatching(/^replaceLinks\.items: expected an array of work item ids/),
    });
    expect(await ts.workItems.get('jira-1')).toBeUndefined();
  });
});
