import {
  type Connector,
  createTeamState,
  hmacSha256Hex,
  type TeamState,
  verifySha256Signature,
  WebhookPayloadError,
} from '@teamstate/core';
import { testConnector } from '@teamstate/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listenInProcess } from './listen-in-process.js';

const SECRET = 'whsec-test';

// A connector whose webhooks create a team per delivery: enough to exercise the mechanism end to end.
const teamsHook: Connector = testConnector({
  id: 'teams-hook',
  webhooks: {
    provider: 'teams',
    verify: (request) => verifySha256Signature(SECRET, request.rawBody, request.headers['x-signature']),
    deliveryId: (request) => request.headers['x-delivery'],
    eventName: (request) => request.headers['x-event'],
    async handle(event) {
      const payload = event.payload as { team?: { id?: unknown; name?: unknown } };
      if (event.name !== 'team_created') return { ignored: `event ${event.name} is not used` };
      if (typeof payload.team?.id !== 'string') throw new WebhookPayloadError('team.id: expected a string');
      return { records: { teams: [{ id: payload.team.id, name: String(payload.team.name) }] } };
    },
  },
});

let ts: TeamState;
let base: string;
let close: () => Promise<void>;
beforeAll(async () => {
  ts = await createTeamState({ database: ':memory:', connectors: [teamsHook] });
  ({ base, close } = await listenInProcess(ts));
});
afterAll(async () => {
  await close();
  await ts.close();
});

function deliver(body: string, headers: Record<string, string>) {
  return fetch(`${base}/webhooks/teams`, { method: 'POST', body, headers: { 'content-type': 'application/json', ...headers } });
}
const signed = (body: string, delivery: string, event = 'team_created') => ({
  'x-signature': `sha256=${hmacSha256Hex(SECRET, body)}`,
  'x-delivery': delivery,
  'x-event': event,
});

describe('webhooks over HTTP', () => {
  it('answers health checks', async () => {
    const response = await fetch(`${base}/healthz`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ ok: true, workspace: 'default' });
  });

  it('stores a signed delivery at once and deduplicates a redelivery', async () => {
    const body = JSON.stringify({ team: { id: 'payments', name: 'Payments' } });
    const first = await deliver(body, signed(body, 'd-1'));
    expect(first.status).toBe(202);
    expect((await ts.teams.list()).map((t) => t.id)).toEqual(['payments']);
    const again = await deliver(body, signed(body, 'd-1'));
    expect(again.status).toBe(200);
    expect(await again.json()).toMatchObject({ duplicate: true });
    const rows = await ts.store.execute("SELECT delivery_id, status FROM webhook_deliveries WHERE provider = 'teams'");
    expect(rows.rows.map((r) => [r.delivery_id, r.status])).toEqual([['d-1', 'processed']]);
  });

  it('rejects a bad, flipped or missing signature with 401 and stores nothing', async () => {
    const body = JSON.stringify({ team: { id: 'intruders', name: 'Intruders' } });
    const headers = signed(body, 'd-2');
    expect((await deliver(body, { ...headers, 'x-signature': `sha256=${hmacSha256Hex('wrong', body)}` })).status).toBe(401);
    expect((await deliver(body.replace('Intruders', 'Intruderz'), headers)).status).toBe(401);
    const { 'x-signature': _, ...unsigned } = headers;
    expect((await deliver(body, unsigned)).status).toBe(401);
    expect(await ts.teams.get('intruders')).toBeUndefined();
    expect((await ts.store.execute("SELECT count(*) AS n FROM webhook_deliveries WHERE delivery_id = 'd-2'")).rows[0]!.n).toBe(0);
  });

  it('answers 400 for a signed but unusable payload, 202 for an ignored event, 404 for an unknown provider', async () => {
    const notJson = '{"team": ';
    expect((await deliver(notJson, signed(notJson, 'd-3'))).status).toBe(400);
    const noId = JSON.stringify({ team: { name: 'No id' } });
    const bad = await deliver(noId, signed(noId, 'd-4'));
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ message: 'team.id: expected a string' });
    const other = JSON.stringify({});
    expect((await deliver(other, signed(other, 'd-5', 'team_deleted'))).status).toBe(202);
    const unknown = await fetch(`${base}/webhooks/gitlab`, { method: 'POST', body: '{}' });
    expect(unknown.status).toBe(404);
    // An unusable delivery is not remembered, so a fixed redelivery with the same id is processed.
    const fixed = JSON.stringify({ team: { id: 'fixed', name: 'Fixed' } });
    expect((await deliver(fixed, signed(fixed, 'd-4'))).status).toBe(202);
  });

  it('answers the OAuth discovery URLs, without auth: configured, with a JSON 404 naming the config that enables them', async () => {
    for (const path of [
      '/.well-known/oauth-protected-resource',
      '/.well-known/oauth-authorization-server',
      '/.well-known/oauth-protected-resource/mcp',
    ]) {
      const answer = await fetch(`${base}${path}`);
      expect(answer.status).toBe(404);
      expect(await answer.json()).toMatchObject({
        ok: false,
        error: 'oauth_not_configured',
        message: expect.stringContaining('add auth: (github or slack, with clientId and clientSecret) and server.publicUrl'),
      });
    }
    expect(await (await fetch(`${base}/nope`)).json()).toEqual({ ok: false, message: 'no route for GET /nope' });
  });

  it('refuses a record that references what does not exist, with 400 and nothing stored', async () => {
    const body = JSON.stringify({ team: { id: 'payments', name: 'Payments' } });
    const hook = { ...teamsHook.webhooks!, handle: async () => ({ records: { repositories: [{ id: 'acme/api', team: 'nobody' }] } }) };
    const other = await createTeamState({ database: ':memory:', connectors: [{ ...teamsHook, webhooks: hook }] });
    const result = await other.webhooks.receive('teams', { headers: signed(body, 'd-6'), rawBody: Buffer.from(body) });
    expect(result.status).toBe(400);
    expect(result.body.message).toMatch(/repositories\[0\]\.team: team "nobody"/);
    expect((await other.store.execute('SELECT count(*) AS n FROM webhook_deliveries')).rows[0]!.n).toBe(0);
    await other.close();
  });

  it('answers 202 to a delivery whose processing fails, keeps it for a retry, and logs an unexpected error instead of swallowing it', async () => {
    const hook = {
      ...teamsHook.webhooks!,
      handle: async () => {
        throw new Error('upstream answered 502 Bad Gateway');
      },
    };
    const other = await createTeamState({ database: ':memory:', connectors: [{ ...teamsHook, webhooks: hook }] });
    const logged: string[] = [];
    const record = (line: string) => void logged.push(line);
    const served = await listenInProcess(other, { debug: record, info: record, warn: record, error: record });
    try {
      const body = JSON.stringify({ team: { id: 'payments', name: 'Payments' } });
      const answer = await fetch(`${served.base}/webhooks/teams`, { method: 'POST', body, headers: signed(body, 'd-7') });
      expect(answer.status).toBe(202);
      expect(await answer.json()).toMatchObject({ ok: true, queued: true });
      expect(await other.webhooks.list({ failed: true })).toEqual([
        expect.objectContaining({ id: 'd-7', status: 'retrying', attempts: 1 }),
      ]);

      // A failure outside the queue (the store is gone) is answered 500 and logged, without the body.
      await other.store.close();
      const broken = await fetch(`${served.base}/webhooks/teams`, { method: 'POST', body, headers: signed(body, 'd-8') });
      expect(broken.status).toBe(500);
      expect(logged).toContainEqual(expect.stringContaining('POST /webhooks/teams failed'));
      expect(logged.join('\n')).not.toContain('Payments');
    } finally {
      await served.close();
      await other.close();
    }
  });
});
