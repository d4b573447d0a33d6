import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createTeamState, defineActionType, type TeamState } from '../src/index.js';
import { testConnector } from '../src/testing/index.js';

// No proactive message to people who did not ask (docs/onboarding.md): a freshly imported organisation whose people
// have no joinedAt is not forty people joining, and a welcome waits for the recipient's working hours.
let now = new Date('2026-11-19T19:51:00Z'); // Friday 04:51 in Tokyo
let ts: TeamState;
const sent: { user: string; text: string }[] = [];
const slack = testConnector({
  id: 'slack',
  actions: [
    defineActionType({
      type: 'slack.dm.send',
      description: 'Send a direct message',
      risk: 'medium',
      params: z.strictObject({ user: z.string(), text: z.string() }),
      async execute(params) {
        sent.push(params);
        return { ok: true };
      },
    }),
  ],
});

beforeAll(async () => {
  ts = await createTeamState({
    database: ':memory:',
    clock: () => now,
    connectors: [slack],
    policy: { actions: { 'slack.dm.send': { mode: 'auto' } } },
  });
  const people = ['gus', 'hana', 'ivo'].map((id) => ({
    id,
    name: id.toUpperCase(),
    teams: ['pay'],
    accounts: [{ provider: 'slack', id: `U0${id.toUpperCase()}` }],
  }));
  await ts.import({
    format: 'teamstate.bundle/v1',
    teams: [{ id: 'pay', name: 'Payments', leads: ['lena'] }],
    people: [
      {
        id: 'lena',
        name: 'Lena',
        teams: ['pay'],
        timeZone: 'Europe/Berlin',
        accounts: [{ provider: 'slack', id: 'U0LENA' }],
        joinedAt: '2024-01-01T00:00:00Z',
      },
      {
        id: 'fay',
        name: 'Fay',
        teams: ['pay'],
        timeZone: 'Asia/Tokyo',
        accounts: [{ provider: 'slack', id: 'U0FAY' }],
        joinedAt: '2026-11-16T00:00:00Z',
      },
      ...people,
    ],
    // Everyone's first seen activity is recent: the organisation was just imported.
    workItems: people.map((p, i) => ({
      id: `pr-${i}`,
      source: 'github',
      kind: 'pull_request',
      key: `acme/api#${i}`,
      title: `Change ${i}`,
      state: 'open',
      team: 'pay',
      author: p.id,
      createdAt: '2026-11-18T10:00:00Z',
    })),
  });
});
afterAll(() => ts.close());

const proposed = async () => (await ts.onboarding.proposeMessages()).map((m) => `${m.person}->${m.recipient}`);

describe('onboarding messages', () => {
  it('welcome only people with an explicit joinedAt, each recipient in their own working hours, once', async () => {
    // 04:51 in Tokyo, 20:51 in Berlin: nobody is written to.
    expect(await proposed()).toEqual([]);
    now = new Date('2026-11-20T01:00:00Z'); // 10:00 in Tokyo, 02:00 in Berlin
    expect(await proposed()).toEqual(['fay->fay']);
    now = new Date('2026-11-20T09:00:00Z'); // 18:00 in Tokyo, 10:00 in Berlin
    expect(await proposed()).toEqual(['fay->lena']);
    expect(await proposed()).toEqual([]);
    expect(sent.map((s) => s.user)).toEqual(['U0FAY', 'U0LENA']);
    expect(sent.some((s) => /GUS|HANA|IVO/.test(s.text))).toBe(false);
    // Still listed as recent joiners for whoever asks (the CLI's `onboarding`), never messaged.
    expect((await ts.onboarding.joiners()).map((j) => j.id)).toEqual(expect.arrayContaining(['gus', 'hana', 'ivo', 'fay']));
  });
});
