import { createHmac } from 'node:crypto';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createTeamState, type TeamState } from '@teamstate/core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createFakeLinear, fixture } from '../../connectors/test/linear/fake-linear.js';
import { NOW, testConnector, WEBHOOK_SECRET } from '../../connectors/test/linear/linear-test-setup.js';
import { createHttpServer } from '../src/server/create-http-server.js';

// `teamstate serve` receives Linear's webhooks at POST /webhooks/linear like every connector's: the signature and the
// timestamp are checked over the raw bytes, the delivery is stored, then processed from the queue.
const fake = createFakeLinear();
let ts: TeamState;
let server: Server;
let url: string;

beforeAll(async () => {
  // Requests to this test's own server pass through; Linear's are answered by the fake.
  fake.server.listen({ onUnhandledFrame: 'bypass' });
  ts = await createTeamState({ database: ':memory:', connectors: [testConnector()], clock: () => NOW });
  await ts.import({ format: 'teamstate.bundle/v1', teams: [{ id: 'payments', name: 'Payments' }] });
  expect((await ts.sync()).ok).toBe(true);
  server = createHttpServer(ts);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhooks/linear`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  await ts.close();
  fake.server.close();
});

const post = (body: string, secret: string, delivery: string) =>
  fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'linear-signature': createHmac('sha256', secret).update(body).digest('hex'),
      'linear-delivery': delivery,
      'linear-event': 'Issue',
    },
    body,
  });

const stateOf = async (key: string) => (await ts.export()).workItems?.find((w) => w.key === key)?.state;

describe('teamstate serve: POST /webhooks/linear', () => {
  it('refuses a badly signed delivery and stores then processes a signed one', async () => {
    const body = JSON.stringify(fixture('webhook-issue-update.json'));
    expect((await post(body, 'not-the-secret', 'serve-1')).status).toBe(401);
    expect((await ts.store.execute('SELECT count(*) AS n FROM webhook_deliveries')).rows[0]!.n).toBe(0);

    fake.move('PAY-4', 'In Progress', '2026-03-18T09:59:40.000Z');
    const accepted = await post(body, WEBHOOK_SECRET, 'serve-2');
    expect(accepted.status).toBe(202);
    // Processed from the queue: wait for the delivery to leave it (by what it changed, however loaded the machine).
    await vi.waitFor(async () => expect(await stateOf('PAY-4')).toBe('In Progress'), { timeout: 30_000, interval: 50 });
    const stored = await ts.store.execute('SELECT provider, delivery_id FROM webhook_deliveries');
    expect(stored.rows.map((r) => `${r.provider} ${r.delivery_id}`)).toEqual(['linear serve-2']);
    expect((await post(body, WEBHOOK_SECRET, 'serve-2')).status).toBe(200);
  });
});
