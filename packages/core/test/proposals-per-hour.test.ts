import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createTeamState, defineActionType, parsePolicy, RateLimitedError, type TeamState } from '../src/index.js';
import { testConnector } from '../src/testing/index.js';
import { teamBundle } from './fixtures/test-connector.js';

// limits.proposals_per_hour: a caller's proposals in the hour before the injected clock's now, refused over the limit.
const T0 = Date.parse('2026-03-02T09:00:00Z');
const MINUTE = 60_000;

const notes = testConnector({
  id: 'notes',
  actions: [
    defineActionType({
      type: 'notes.note.add',
      description: 'Add a note',
      risk: 'low',
      params: z.object({ text: z.string() }),
      execute: async (params) => ({ added: params.text }),
    }),
  ],
});

let open: TeamState[] = [];
afterEach(async () => {
  for (const ts of open) await ts.close();
  open = [];
});

async function setup(limits: Record<string, number> = { proposals_per_hour: 3 }) {
  let now = T0;
  const ts = await createTeamState({
    database: ':memory:',
    connectors: [notes],
    policy: { actions: { 'notes.*': { mode: 'auto' } }, limits },
    clock: () => new Date(now),
  });
  open.push(ts);
  await ts.import(teamBundle);
  return { ts, at: (ms: number) => (now = T0 + ms) };
}

const note = (text: string, requestedBy = 'bot') => ({
  type: 'notes.note.add',
  target: 'inbox',
  params: { text },
  reason: 'keep track',
  requestedBy,
});

describe('limits.proposals_per_hour', () => {
  it('refuses the 4th proposal within the hour with rate_limited and retryAfter, audited, nothing stored', async () => {
    const { ts, at } = await setup();
    for (const [i, minute] of [0, 10, 20].entries()) {
      at(minute * MINUTE);
      expect((await ts.actions.propose(note(`n${i}`))).status).toBe('executed');
    }
    at(30 * MINUTE);
    const refused = await ts.actions.propose(note('n3')).catch((error: unknown) => error);
    expect(RateLimitedError.isRateLimited(refused)).toBe(true);
    const error = refused as RateLimitedError;
    expect(error.code).toBe('rate_limited');
    // The first proposal (at 0) leaves the hour at 60 minutes: 30 minutes from now.
    expect(error.retryAfter).toBe(30 * 60);
    expect(error.message).toContain('rate_limited');
    expect(error.message).toContain('retryAfter: 1800 seconds');
    expect(error.message).toContain('limits.proposals_per_hour (3)');
    expect(await ts.approvals.list()).toHaveLength(3);
    const [entry] = await ts.audit.list({ type: 'proposal.rate_limited' });
    expect(entry).toMatchObject({
      actor: 'bot',
      data: { type: 'notes.note.add', target: 'inbox', limit: 3, retryAfter: 1800 },
    });
    expect((await ts.audit.verify()).ok).toBe(true);
  });

  it('counts per resolved caller and by the injected clock: another caller, and the same one an hour later, go through', async () => {
    const { ts, at } = await setup();
    for (const text of ['a', 'b', 'c']) await ts.actions.propose(note(text, 'ana'));
    // "ANA" is ana: the same caller, refused.
    await expect(ts.actions.propose(note('d', 'ANA'))).rejects.toMatchObject({ code: 'rate_limited', retryAfter: 3600 });
    expect((await ts.actions.propose(note('e', 'ben'))).status).toBe('executed');
    at(60 * MINUTE + 1);
    expect((await ts.actions.propose(note('f', 'ana'))).status).toBe('executed');
  });

  it('allows 60 an hour by default', async () => {
    const { ts } = await setup({});
    for (let i = 0; i < 60; i++) await ts.actions.propose(note(`n${i}`));
    await expect(ts.actions.propose(note('one more'))).rejects.toMatchObject({ code: 'rate_limited' });
  });

  it('names a bad limit value and the fix', () => {
    expect(() => parsePolicy({ limits: { proposals_per_hour: 0 } })).toThrow(
      /policy\.limits\.proposals_per_hour: expected a whole number of proposals per caller per hour, at least 1 \(e\.g\. 60\), got 0/,
    );
    expect(() => parsePolicy({ limits: { proposals_per_hour: 2.5 } })).toThrow(/proposals_per_hour: expected a whole number/);
    expect(() => parsePolicy({ limits: { max_monthly_cost_usd: -5 } })).toThrow(
      /policy\.limits\.max_monthly_cost_usd: expected US dollars a month, 0 or more \(e\.g\. 200\), got -5/,
    );
  });
});
