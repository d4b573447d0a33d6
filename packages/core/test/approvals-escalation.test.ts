import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { type ActionContext, type Connector, createTeamState, defineActionType, type TeamState } from '../src/index.js';
import { testConnector } from '../src/testing/index.js';
import { teamBundle } from './fixtures/test-connector.js';

const T0 = Date.parse('2026-03-02T09:00:00Z');
const HOUR = 3_600_000;

// A post whose audience size decides whether it may run on its own: the shape of `slack.message.post`.
function announcer(sizes: Record<string, number>, seen: ActionContext[] = []): Connector {
  return testConnector({
    id: 'announcer',
    actions: [
      defineActionType({
        type: 'announcer.message.post',
        description: 'Post to a room',
        risk: 'medium',
        params: z.object({ room: z.string(), text: z.string() }),
        async escalate(params, ctx) {
          seen.push(ctx);
          const size = sizes[params.room];
          if (size === undefined) throw new Error(`room ${params.room} not found`);
          const limit = ctx.limits.max_channel_size_auto_post;
          return limit !== undefined && size > limit ? `room ${params.room} has ${size} members, more than ${limit}` : undefined;
        },
        execute: async (params, ctx) => {
          seen.push(ctx);
          return { posted: params.room };
        },
      }),
    ],
  });
}

const policy = { actions: { 'announcer.*': { mode: 'auto' } }, limits: { max_channel_size_auto_post: 10 }, ttl: { default: '2h' } };
const post = (room: string) => ({
  type: 'announcer.message.post',
  target: room,
  params: { room, text: 'hello' },
  reason: 'daily digest',
  requestedBy: 'bot',
});

let open: TeamState[] = [];
afterEach(async () => {
  for (const ts of open) await ts.close();
  open = [];
});

async function setup(connector: Connector, document: unknown = policy) {
  const ts = await createTeamState({ database: ':memory:', connectors: [connector], policy: document as never, clock: () => new Date(T0) });
  open.push(ts);
  await ts.import(teamBundle);
  return ts;
}

describe('ActionType.escalate: raising auto to ask for particular params', () => {
  it('runs a small post at once and holds a large one for a person, recording why', async () => {
    const ts = await setup(announcer({ small: 4, large: 240 }));
    expect(await ts.actions.propose(post('small'))).toMatchObject({ status: 'executed', mode: 'auto', result: { posted: 'small' } });
    const held = await ts.actions.propose(post('large'));
    expect(held).toMatchObject({
      status: 'pending',
      mode: 'ask',
      escalation: 'room large has 240 members, more than 10',
      expiresAt: new Date(T0 + 2 * HOUR).toISOString(),
    });
    const [proposed] = await ts.audit.list({ approvalId: held.id, type: 'approval.proposed' });
    expect(proposed!.data).toMatchObject({ status: 'pending', mode: 'ask', escalation: 'room large has 240 members, more than 10' });
    expect((await ts.audit.verify()).ok).toBe(true);
    // It then follows the ask rules: any known person but the requester approves, and it runs.
    expect(await ts.approvals.decide(held.id, { decision: 'approve', by: 'ana' })).toMatchObject({ status: 'executed' });
  });

  it('asks a person when the hook cannot tell (it threw)', async () => {
    const ts = await setup(announcer({}));
    const held = await ts.actions.propose(post('unknown'));
    expect(held.status).toBe('pending');
    expect(held.escalation).toBe(
      'announcer.message.post could not check whether these params need a person (room unknown not found), so a person decides',
    );
  });

  it('is not consulted when the policy already asks or denies, and never lowers a mode', async () => {
    const seen: ActionContext[] = [];
    const asking = await setup(announcer({ small: 1 }, seen), { ...policy, actions: { 'announcer.*': { mode: 'ask' } } });
    expect(await asking.actions.propose(post('small'))).toMatchObject({ status: 'pending', mode: 'ask' });
    expect((await asking.approvals.list())[0]!.escalation).toBeUndefined();
    const denying = await setup(announcer({ small: 1 }, seen), { ...policy, actions: { 'announcer.*': { mode: 'deny' } } });
    expect(await denying.actions.propose(post('small'))).toMatchObject({ status: 'denied' });
    expect(seen).toEqual([]);
  });

  it('hands hooks a deadline: the TTL from the proposal, and half the execution lease once claimed', async () => {
    const seen: ActionContext[] = [];
    const ts = await setup(announcer({ small: 1 }, seen));
    await ts.actions.propose(post('small'));
    const [atProposal, atExecution] = seen;
    expect(atProposal!.deadline.toISOString()).toBe(new Date(T0 + 2 * HOUR).toISOString());
    // Claimed at T0 with the default 10-minute lease: the executor may wait at most 5 minutes.
    expect(atExecution!.deadline.toISOString()).toBe(new Date(T0 + 5 * 60_000).toISOString());
  });
});
