import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createTeamState, defineActionType, type TeamState } from '../src/index.js';
import { testConnector } from '../src/testing/index.js';
import { teamBundle } from './fixtures/test-connector.js';

// An action whose connector declares a cost: metered on the spend ledger when it runs, and held for a person once the
// month's spend reached limits.max_monthly_cost_usd.
const NOW = new Date('2026-03-02T09:00:00Z');
const sms = testConnector({
  id: 'sms',
  actions: [
    {
      ...defineActionType({
        type: 'sms.message.send',
        description: 'Send a text message',
        risk: 'low',
        params: z.object({ to: z.string(), text: z.string() }),
        execute: async (params) => ({ sent: params.to }),
      }),
      costUsd: 5,
    },
  ],
});

let ts: TeamState | undefined;
afterEach(async () => {
  await ts?.close();
});

const text = (to: string) => ({
  type: 'sms.message.send',
  target: to,
  params: { to, text: 'Deploy done' },
  reason: 'notify',
  requestedBy: 'bot',
});

describe('an action with a declared cost', () => {
  it('is metered when it runs and needs approval at the cap', async () => {
    ts = await createTeamState({
      database: ':memory:',
      connectors: [sms],
      policy: { actions: { 'sms.*': { mode: 'auto' } }, limits: { max_monthly_cost_usd: 10 } },
      clock: () => NOW,
    });
    await ts.import(teamBundle);
    expect(await ts.actions.propose(text('+100'))).toMatchObject({ status: 'executed' });
    expect(await ts.actions.propose(text('+101'))).toMatchObject({ status: 'executed' });
    expect(await ts.spend.month()).toEqual({ month: '2026-03', usd: 10, capUsd: 10 });
    const held = await ts.actions.propose(text('+102'));
    expect(held).toMatchObject({ status: 'pending', mode: 'ask' });
    expect(held.escalation).toMatch(/^cost_cap_reached: sms\.message\.send costs \$5/);
    expect(await ts.approvals.decide(held.id, { decision: 'approve', by: 'ana' })).toMatchObject({ status: 'executed' });
    expect(await ts.spend.month()).toMatchObject({ usd: 15 });
  });
});
