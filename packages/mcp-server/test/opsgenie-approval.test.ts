import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { opsgenie } from '@teamstate/connectors/opsgenie';
import { type Approval, createTeamState, type TeamState } from '@teamstate/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFakeOpsgenie, OPSGENIE, OPSGENIE_KEY, serveFakeOpsgenie } from '../../connectors/test/opsgenie/fake-opsgenie.js';
import { connect } from './fixtures/connect.js';

// An assistant proposes acknowledging an Opsgenie alert over MCP: the built-in policy holds it for a person, nothing
// reaches Opsgenie until an approver decides with their own credential (a token with the decide scope), and then
// Opsgenie is called exactly once.
const NOW = new Date('2026-03-18T10:00:00Z');
const ALERT = '9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d-1773727500000';
const fake = createFakeOpsgenie();
const network = serveFakeOpsgenie(fake);
let ts: TeamState;
beforeAll(async () => {
  network.listen({ onUnhandledFrame: 'error' });
  ts = await createTeamState({
    database: ':memory:',
    clock: () => NOW,
    connectors: [opsgenie({ apiKey: OPSGENIE_KEY, baseUrl: OPSGENIE, sleep: async () => {} })],
    policy: { approvers: { high: ['lea'] } },
  });
  await ts.import({
    format: 'teamstate.bundle/v1',
    people: [
      {
        id: 'lea',
        name: 'Lea',
        email: 'lea@acme.example',
        accounts: [{ provider: 'opsgenie', id: 'lea@acme.example', login: 'lea@acme.example' }],
      },
      { id: 'dana', name: 'Dana', email: 'dana@acme.example' },
    ],
  });
});
afterAll(async () => {
  await ts.close();
  network.close();
});

const writes = () => fake.requests.filter((r) => r.method !== 'GET');

describe('opsgenie.alert.acknowledge proposed over MCP', () => {
  it('waits for a decide token, then calls Opsgenie exactly once', async () => {
    const mcp = await connect(ts, { onBehalfOf: 'dana' });
    try {
      const proposed = (await mcp.client.callTool({
        name: 'propose_action',
        arguments: { type: 'opsgenie.alert.acknowledge', target: ALERT, params: { alert: ALERT }, reason: 'The user is on it' },
      })) as CallToolResult;
      const approval = proposed.structuredContent as Approval;
      expect(approval).toMatchObject({
        status: 'pending',
        mode: 'require_approval',
        risk: 'high',
        approvers: ['lea'],
        requestedBy: 'assistant',
      });
      const waiting = mcp.client.callTool({ name: 'await_approval', arguments: { id: approval.id, timeoutSeconds: 30 } });
      expect(writes()).toEqual([]);

      // A token without the decide scope cannot decide; the approver's decide token can.
      const reader = await ts.tokens.create({ person: 'lea', scopes: ['read'] });
      expect((await ts.tokens.authenticate(reader.token))?.scopes).not.toContain('decide');
      const decider = await ts.tokens.create({ person: 'lea', scopes: ['decide'] });
      const token = await ts.tokens.authenticate(decider.token);
      expect(token?.scopes).toContain('decide');
      await ts.approvals.decide(approval.id, {
        decision: 'approve',
        by: token!.person,
        authentication: { method: 'token', token: token!.id },
      });
      const result = (await waiting) as CallToolResult;
      expect(result.structuredContent).toMatchObject({ id: approval.id, status: 'executed', decidedBy: 'lea' });
      expect(writes().map((r) => [r.method, r.path, r.body?.user])).toEqual([
        ['POST', `/v2/alerts/${ALERT}/acknowledge`, 'lea@acme.example'],
      ]);
      // Asking again changes nothing: the approval is decided.
      await ts.approvals.execute(approval.id).catch(() => undefined);
      expect(writes()).toHaveLength(1);
    } finally {
      await mcp.close();
    }
  });
});
