import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { type Connector, createTeamState, defineActionType, runNudges, type SignalDetector, type TeamState } from '../src/index.js';
import { testConnector } from '../src/testing/index.js';

// `notify: reviewers` (docs/hub.md#working-agreements-and-nudges) reaches the people a pull request asks to review it
// (its requested reviewers, as GitHub lists them) as well as those who reviewed it, never its author.
let now = new Date('2026-03-02T10:00:00Z'); // a Monday
let ts: TeamState | undefined;
afterEach(async () => {
  await ts?.close();
  ts = undefined;
});

const PR = 'gh-pr-acme/api#7';
const waiting: SignalDetector = {
  specificationVersion: 'v1',
  kind: 'pr.waiting',
  title: 'Waiting pull request',
  description: 'A test detector: acme/api#7 waits for its reviewers.',
  async detect() {
    return [{ severity: 'warning', subject: { type: 'work_item', id: PR }, team: 'pay', title: 'acme/api#7 waits', evidence: {} }];
  },
};

const sent: string[] = [];
const dm: Connector = testConnector({
  id: 'slack',
  actions: [
    defineActionType({
      type: 'slack.dm.send',
      description: 'Send a direct message',
      risk: 'low',
      params: z.strictObject({ user: z.string(), text: z.string(), blocks: z.array(z.unknown()).optional() }),
      async execute(params) {
        sent.push(params.user);
        return { sent: true };
      },
    }),
  ],
});

const person = (id: string) => ({ id, name: id, teams: ['pay'], accounts: [{ provider: 'slack', id: `U0${id.toUpperCase()}` }] });

async function start(requestedReviewers: string[]) {
  ts = await createTeamState({
    database: ':memory:',
    clock: () => now,
    signals: [waiting],
    connectors: [dm],
    policy: {
      actions: { 'slack.dm.send': { mode: 'auto' } },
      agreements: [{ id: 'review-soon', signal: 'pr.waiting', after: '4h', notify: 'reviewers' }],
    },
  });
  await ts.import({
    format: 'teamstate.bundle/v1',
    teams: [{ id: 'pay', name: 'Payments' }],
    people: ['ana', 'ben', 'cleo', 'dan'].map(person),
    repositories: [{ id: 'acme/api', team: 'pay' }],
    workItems: [
      {
        id: PR,
        source: 'github',
        kind: 'pull_request',
        key: 'acme/api#7',
        title: 'Refund retries',
        state: 'open',
        repository: 'acme/api',
        author: 'ana',
        createdAt: '2026-03-01T09:00:00Z',
        reviews: [{ reviewer: 'cleo', state: 'commented', submittedAt: '2026-03-01T12:00:00Z' }],
        requestedReviewers,
      },
    ],
  });
  await ts.signals.refresh();
  return ts;
}

describe('notify: reviewers', () => {
  it('reaches the requested reviewers and those who reviewed, not the author', async () => {
    sent.length = 0;
    now = new Date('2026-03-02T10:00:00Z');
    const ts = await start(['ben', 'dan', 'ana']);
    expect((await ts.workItems.get(PR))?.requestedReviewers).toEqual(['ana', 'ben', 'dan']);
    now = new Date('2026-03-02T15:00:00Z');
    const round = await runNudges(ts);
    expect(round.sent.map((n) => n.recipient).sort()).toEqual(['ben', 'cleo', 'dan']);
    expect(sent.sort()).toEqual(['U0BEN', 'U0CLEO', 'U0DAN']);
    // Once per recipient and stage.
    expect((await runNudges(ts)).sent).toEqual([]);
  });

  it('follows the requests as they change: a request removed is no longer nudged', async () => {
    sent.length = 0;
    now = new Date('2026-03-02T10:00:00Z');
    const ts = await start(['ben']);
    await ts.import({
      format: 'teamstate.bundle/v1',
      workItems: [
        {
          id: PR,
          source: 'github',
          kind: 'pull_request',
          key: 'acme/api#7',
          title: 'Refund retries',
          state: 'open',
          repository: 'acme/api',
          author: 'ana',
          createdAt: '2026-03-01T09:00:00Z',
          requestedReviewers: ['dan'],
        },
      ],
    });
    now = new Date('2026-03-02T15:00:00Z');
    expect((await runNudges(ts)).sent.map((n) => n.recipient).sort()).toEqual(['cleo', 'dan']);
  });

  it('refuses a requested reviewer who is nobody, naming the field, and stores nothing', async () => {
    now = new Date('2026-03-02T10:00:00Z');
    const ts = await start([]);
    const before = await ts.export();
    await expect(
      ts.import({
        format: 'teamstate.bundle/v1',
        workItems: [{ ...before.workItems[0]!, requestedReviewers: ['zed'] }],
      }),
    ).rejects.toThrow(/workItems\[0\]\.requestedReviewers\[0\]/);
    expect(await ts.export()).toEqual(before);
  });
});
