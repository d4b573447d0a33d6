import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createTeamState, defineActionType, type TeamState } from '../src/index.js';
import { testConnector } from '../src/testing/index.js';

// The self-decision check sees through a provider's spelling of the requester (docs/security.md#self-approval):
// `github:TFERREIRA` is the person whose GitHub login is tferreira, whatever the case, for requestedBy and onBehalfOf.
let ts: TeamState;
const ran: string[] = [];
const deploy = testConnector({
  id: 'ops',
  actions: [
    defineActionType({
      type: 'ops.restart',
      description: 'Restart a service',
      risk: 'high',
      params: z.strictObject({ service: z.string() }),
      async execute(params) {
        ran.push(params.service);
        return { restarted: params.service };
      },
    }),
  ],
});

beforeEach(async () => {
  ran.length = 0;
  ts = await createTeamState({
    database: ':memory:',
    connectors: [deploy],
    policy: { actions: { 'ops.restart': { mode: 'require_approval' } }, approvers: { default: ['tiago', 'uma'] } },
  });
  await ts.import({
    format: 'teamstate.bundle/v1',
    people: [
      {
        id: 'tiago',
        name: 'Tiago',
        accounts: [
          { provider: 'github', id: '4242', login: 'tferreira' },
          { provider: 'slack', id: 'U07TIAGO' },
        ],
      },
      { id: 'uma', name: 'Uma' },
    ],
  });
});
afterEach(() => ts.close());

const propose = (by: { requestedBy: string; onBehalfOf?: string }) =>
  ts.actions.propose({ type: 'ops.restart', target: 'api', params: { service: 'api' }, reason: 'stuck', ...by });

describe('a proposal requested under a provider spelling of the decider', () => {
  it('is refused as a self-decision for every spelling of requestedBy and onBehalfOf, and nothing runs', async () => {
    const spellings = ['github:TFERREIRA', 'GitHub:tferreira', 'github:4242', 'slack:u07tiago', 'TFERREIRA', 'Tiago'];
    for (const requestedBy of spellings) {
      const approval = await propose({ requestedBy });
      await expect(ts.approvals.decide(approval.id, { decision: 'approve', by: 'tiago' })).rejects.toMatchObject({ code: 'self_decision' });
      expect((await ts.approvals.get(approval.id))?.status).toBe('pending');
    }
    for (const onBehalfOf of spellings) {
      const approval = await propose({ requestedBy: 'assistant', onBehalfOf });
      await expect(ts.approvals.decide(approval.id, { decision: 'approve', by: 'tiago' })).rejects.toMatchObject({ code: 'self_decision' });
    }
    expect(ran).toEqual([]);
    // Another approver decides it.
    const approval = await propose({ requestedBy: 'github:TFERREIRA' });
    expect((await ts.approvals.decide(approval.id, { decision: 'approve', by: 'uma' })).status).toBe('executed');
    expect(ran).toEqual(['api']);
  });
});
