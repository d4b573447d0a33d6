import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { createTeamState, type TeamState } from '@teamstate/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { acmeBundle, actionsConnector, NOW, POLICY } from './fixtures/acme.js';
import { call, connect } from './fixtures/connect.js';

// limits.proposals_per_hour through propose_action, with the SDK's client: the refusal is a tool error whose
// structured content a client can act on ({ code: 'rate_limited', retryAfter }).
let ts: TeamState;
let client: Client;
let close: () => Promise<void>;

beforeAll(async () => {
  ts = await createTeamState({
    database: ':memory:',
    connectors: [actionsConnector()],
    policy: { ...POLICY, limits: { proposals_per_hour: 3 } },
    clock: () => NOW,
  });
  await ts.import(acmeBundle());
  ({ client, close } = await connect(ts, { requestedBy: 'claude' }));
});
afterAll(async () => {
  await close();
  await ts.close();
});

const note = (text: string) => ({ type: 'test.note.add', target: 'PAY-1', params: { key: 'PAY-1', text }, reason: 'track it' });

describe('propose_action over limits.proposals_per_hour', () => {
  it('refuses the 4th proposal of the hour with { code: rate_limited, retryAfter }, audited', async () => {
    for (const text of ['one', 'two', 'three'])
      expect((await call<{ status: string }>(client, 'propose_action', note(text))).status).toBe('executed');
    const result = (await client.callTool({ name: 'propose_action', arguments: note('four') })) as CallToolResult;
    expect(result.isError).toBe(true);
    expect(result.structuredContent).toMatchObject({ code: 'rate_limited', retryAfter: 3600 });
    const text = result.content[0]?.type === 'text' ? result.content[0].text : '';
    expect(text).toContain('rate_limited');
    expect(text).toContain('retryAfter');
    expect(await ts.approvals.list()).toHaveLength(3);
    expect(await ts.audit.list({ type: 'proposal.rate_limited' })).toMatchObject([{ actor: 'claude', data: { retryAfter: 3600 } }]);
  });
});
