// Paging through MCP: `propose_action` of `pagerduty.incident.page` stays pending (the built-in policy holds paging for
// a person, whatever the team's policy says about other actions) until an approver decides; then PagerDuty gets exactly
// one POST /incidents, with the approval's idempotency key as the incident key and the configured From. The upstream
// is a PagerDuty stand-in on the loopback interface, answering as the REST API v2 does.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pagerduty } from '@teamstate/connectors/pagerduty';
import { createTeamState, type TeamState } from '@teamstate/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, connect } from './fixtures/connect.js';

interface Created {
  from: string | undefined;
  body: { incident: { title: string; incident_key: string; service: { id: string }; urgency: string } };
}
const created: Created[] = [];
let upstream: Server;
let ts: TeamState;

beforeAll(async () => {
  upstream = createServer((request, response) => {
    let raw = '';
    request.on('data', (chunk) => {
      raw += chunk;
    });
    request.on('end', () => {
      const url = new URL(request.url ?? '/', 'http://127.0.0.1');
      const json = (status: number, body: unknown) => {
        response.writeHead(status, { 'content-type': 'application/json' });
        response.end(JSON.stringify(body));
      };
      if (request.headers.authorization !== 'Token token=pd-key') return json(401, { error: { message: 'Unauthorized', code: 2006 } });
      if (request.method === 'GET' && url.pathname === '/incidents') {
        const key = url.searchParams.get('incident_key');
        const found = created
          .filter((c) => c.body.incident.incident_key === key)
          .map((_created, n) => ({ id: `QPAGED${n}`, html_url: 'https://acme.pagerduty.com/incidents/QPAGED0' }));
        return json(200, { incidents: found, limit: 1, offset: 0, more: false, total: null });
      }
      if (request.method === 'POST' && url.pathname === '/incidents') {
        const body = JSON.parse(raw) as Created['body'];
        created.push({ from: request.headers.from, body });
        return json(201, {
          incident: {
            id: 'QPAGED0',
            type: 'incident',
            incident_number: 7,
            title: body.incident.title,
            status: 'triggered',
            urgency: body.incident.urgency,
            html_url: 'https://acme.pagerduty.com/incidents/QPAGED0',
            created_at: '2026-03-18T10:00:00Z',
            service: { id: body.incident.service.id, type: 'service_reference', summary: 'checkout' },
          },
        });
      }
      return json(404, { error: { message: 'Not Found', code: 2100 } });
    });
  });
  await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
  const { port } = upstream.address() as AddressInfo;
  ts = await createTeamState({
    database: ':memory:',
    connectors: [
      pagerduty({ token: 'pd-key', baseUrl: `http://127.0.0.1:${port}`, from: 'oncall-bot@acme.example', sleep: async () => {} }),
    ],
    // The team's policy lets every other write run at once: paging is still held by the built-in rule for it.
    policy: { actions: { 'slack.*': { mode: 'auto' } }, approvers: { high: ['lea'] } },
  });
  await ts.import({
    format: 'teamstate.bundle/v1',
    people: [
      { id: 'lea', name: 'Lea' },
      { id: 'ana', name: 'Ana' },
    ],
  });
});
afterAll(async () => {
  await ts.close();
  await new Promise((resolve) => upstream.close(resolve));
});

describe('pagerduty.incident.page through MCP', () => {
  it('stays pending until an approver decides, then pages exactly once', async () => {
    const server = await connect(ts);
    try {
      const proposed = await call<{ id: string; status: string; mode: string; risk: string }>(server.client, 'propose_action', {
        type: 'pagerduty.incident.page',
        target: 'PCHKOUT',
        params: { service: 'PCHKOUT', title: 'checkout is down for EU customers' },
        reason: 'error rate at 40% since the 09:30 deploy',
      });
      expect(proposed).toMatchObject({ status: 'pending', mode: 'require_approval', risk: 'high' });
      const waited = await call<{ status: string; timedOut: boolean }>(server.client, 'await_approval', {
        id: proposed.id,
        timeoutSeconds: 1,
      });
      expect(waited).toMatchObject({ status: 'pending', timedOut: true });
      expect(created).toEqual([]);

      // The assistant's requester identity cannot decide; an approver for high risk can.
      await expect(ts.approvals.decide(proposed.id, { decision: 'approve', by: 'assistant' })).rejects.toThrow();
      await ts.approvals.decide(proposed.id, { decision: 'approve', by: 'lea', reason: 'page them' });
      const executed = await ts.approvals.execute(proposed.id);
      expect(executed).toMatchObject({ status: 'executed', result: { incident: 'QPAGED0' } });
      await ts.approvals.execute(proposed.id).catch(() => undefined);
      const done = await call<{ status: string }>(server.client, 'get_approval', { id: proposed.id });
      expect(done.status).toBe('executed');

      expect(created).toHaveLength(1);
      expect(created[0]).toMatchObject({
        from: 'oncall-bot@acme.example',
        body: { incident: { title: 'checkout is down for EU customers', service: { id: 'PCHKOUT' }, urgency: 'high' } },
      });
      expect(created[0]!.body.incident.incident_key).toMatch(/\S{8,}/);
    } finally {
      await server.close();
    }
  });
});
