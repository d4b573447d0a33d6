import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { type Connector, createTeamState, defineActionType, TeamStateError } from '../src/index.js';
import { testConnector } from '../src/testing/index.js';

// Issue 17: no silent empty answers and no duplicates a person has to clean up.
const connector: Connector = testConnector({
  id: 'notes',
  actions: [
    defineActionType({
      type: 'notes.note.add',
      description: 'Add a note',
      risk: 'medium',
      params: z.strictObject({ key: z.string(), text: z.string() }),
      execute: async () => ({ ok: true }),
    }),
  ],
});

describe('proposing the identical action twice', () => {
  it('returns the pending approval instead of a second one; different params, a decided one or another requester make a new one', async () => {
    const ts = await createTeamState({ database: ':memory:', connectors: [connector] });
    await ts.import({ format: 'teamstate.bundle/v1', people: [{ id: 'ana', name: 'Ana' }] });
    const proposal = {
      type: 'notes.note.add',
      target: 'PAY-1',
      params: { key: 'PAY-1', text: 'blocked' },
      reason: 'r',
      requestedBy: 'assistant',
    };
    const first = await ts.actions.propose(proposal);
    // Same content with the params' keys in another order and another reason: still the same action.
    const again = await ts.actions.propose({ ...proposal, reason: 'asked twice', params: { text: 'blocked', key: 'PAY-1' } });
    expect(again.id).toBe(first.id);
    expect(await ts.approvals.list({ status: 'pending' })).toHaveLength(1);
    expect((await ts.actions.propose({ ...proposal, params: { key: 'PAY-1', text: 'other' } })).id).not.toBe(first.id);
    expect((await ts.actions.propose({ ...proposal, requestedBy: 'other-bot' })).id).not.toBe(first.id);
    await ts.approvals.decide(first.id, { decision: 'decline', by: 'ana' });
    expect((await ts.actions.propose(proposal)).id).not.toBe(first.id);
    expect((await ts.audit.verify()).ok).toBe(true);
    await ts.close();
  });
});

describe('a sprint that ends before it starts', () => {
  it('is refused by import with the path of the field, and nothing is stored', async () => {
    const ts = await createTeamState({ database: ':memory:' });
    const error = await ts
      .import({
        format: 'teamstate.bundle/v1',
        teams: [{ id: 'pay', name: 'Payments' }],
        sprints: [
          { id: 's1', name: 'Sprint 1', team: 'pay', state: 'closed', startAt: '2026-03-14T00:00:00Z', endAt: '2026-03-01T00:00:00Z' },
        ],
      })
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    expect(TeamStateError.isInstance(error)).toBe(true);
    expect((error as Error).message).toContain('sprints[0].endAt: must not be before startAt (2026-03-14T00:00:00Z)');
    expect(await ts.teams.list()).toEqual([]);
    await ts.close();
  });
});

describe('an unknown team', () => {
  it('is refused by ai.impact, knowledge.search and knowledge.whoKnows with the closest team, never an empty answer', async () => {
    const ts = await createTeamState({ database: ':memory:', clock: () => new Date('2026-03-10T12:00:00Z') });
    await ts.import({
      format: 'teamstate.bundle/v1',
      teams: [
        { id: 'payments', name: 'Payments' },
        { id: 'platform', name: 'Platform' },
      ],
    });
    const refusal = 'team: unknown team "paymnets" (did you mean "payments"?); known: payments, platform';
    await expect(ts.ai.impact({ from: '2026-02-01', to: '2026-03-01', team: 'paymnets' })).rejects.toThrow(refusal);
    await expect(ts.knowledge.search('rollback', { team: 'paymnets' })).rejects.toThrow(refusal);
    await expect(ts.knowledge.whoKnows('rollback', { team: 'paymnets' })).rejects.toThrow(refusal);
    // A known team still answers, with nothing to report yet.
    expect((await ts.ai.impact({ from: '2026-02-01', to: '2026-03-01', team: 'payments' })).assisted.n).toBe(0);
    expect(await ts.knowledge.search('rollback', { team: 'payments' })).toEqual([]);
    expect(await ts.knowledge.whoKnows('rollback', { team: 'payments' })).toEqual([]);
    await ts.close();
  });
});
