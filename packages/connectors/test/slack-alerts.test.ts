import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { slack } from '@teamstate/connectors/slack';
import { createTeamState, type TeamState } from '@teamstate/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SLACK_API, useSlackMock } from './helpers/slack-mock.js';

// Personal alerts: a reviewer whose requested review waited longer than configured and an author whose CI failed each
// get one Slack DM per event, in their working hours, naming the pull request; exactly once across a restart on a
// real database file (msw stands in for Slack).
const mock = useSlackMock();
let now = new Date('2026-03-10T09:30:00Z'); // a Tuesday
let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'teamstate-alerts-'));
  now = new Date('2026-03-10T09:30:00Z');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const bundle = {
  format: 'teamstate.bundle/v1',
  teams: [{ id: 'pay', name: 'Payments' }],
  people: [
    { id: 'ana', name: 'Ana', teams: ['pay'], timeZone: 'Europe/Berlin', accounts: [{ provider: 'slack', id: 'U0ANA' }] },
    { id: 'rui', name: 'Rui', teams: ['pay'], timeZone: 'UTC', accounts: [{ provider: 'slack', id: 'U0RUI' }] },
    { id: 'kai', name: 'Kai', teams: ['pay'], timeZone: 'Asia/Tokyo', accounts: [{ provider: 'slack', id: 'U0KAI' }] },
  ],
  repositories: [{ id: 'acme/api', team: 'pay' }],
  workItems: [
    {
      id: 'gh-pr-acme/api#7',
      source: 'github',
      kind: 'pull_request',
      key: 'acme/api#7',
      title: 'Retry refunds <!channel>',
      url: 'https://github.com/acme/api/pull/7',
      state: 'open',
      team: 'pay',
      repository: 'acme/api',
      author: 'ana',
      createdAt: '2026-03-10T03:00:00Z',
      requestedReviewers: ['rui', 'kai'],
    },
  ],
  builds: [
    {
      id: 'b1',
      repository: 'acme/api',
      workflow: 'CI',
      commit: 'abcdef1234',
      pullRequest: 'gh-pr-acme/api#7',
      status: 'completed',
      conclusion: 'failure',
      completedAt: '2026-03-10T09:00:00Z',
    },
    {
      id: 'b2',
      repository: 'acme/api',
      workflow: 'Lint',
      commit: 'abcdef1234',
      pullRequest: 'gh-pr-acme/api#7',
      status: 'completed',
      conclusion: 'failure',
      completedAt: '2026-03-10T09:05:00Z',
    },
  ],
};

async function open(
  alerts: Record<string, unknown> = { reviewRequested: { after: '4h' }, ciFailed: true },
  options: Partial<Parameters<typeof createTeamState>[0]> = {},
): Promise<TeamState> {
  return mock.keep(
    await createTeamState({
      ...options,
      database: `file:${join(dir, 'teamstate.db')}`,
      connectors: [slack({ token: 'xoxb-test-token', apiUrl: SLACK_API, approvalRequests: false })],
      policy: { actions: { 'slack.dm.send': { mode: 'auto', risk: 'low' }, 'slack.message.post': { mode: 'auto', risk: 'low' } } },
      alerts,
      clock: () => now,
    }),
  );
}

const dmsTo = (user: string) => mock.callsOf('conversations.open').filter((call) => call.args.users === user).length;
const texts = () => mock.callsOf('chat.postMessage').map((call) => String(call.args.text));

describe('personal alerts', () => {
  it('sends one DM per event, naming the PR, and exactly once across a restart', async () => {
    let ts = await open();
    await ts.import(bundle);
    const first = await ts.alerts.run();
    // Rui (UTC, 09:30) is in working hours; Kai (Tokyo, 18:30) is not and waits; Ana gets one alert for the failed commit.
    expect(first.sent.map((s) => `${s.person} ${s.kind} ${s.status}`).sort()).toEqual([
      'ana ci_failed executed',
      'rui review_requested executed',
    ]);
    expect(first.deferred).toBe(1);
    expect(dmsTo('U0RUI')).toBe(1);
    expect(dmsTo('U0ANA')).toBe(1);
    expect(texts().find((t) => t.startsWith('CI failed'))).toContain('https://github.com/acme/api/pull/7');
    expect(texts().find((t) => t.startsWith('CI failed'))).toContain('CI, Lint');
    // The title is people's text: its mention never reaches Slack as one.
    expect(texts().join('\n')).not.toContain('<!channel>');
    expect(texts().find((t) => t.startsWith('Your review'))).toContain('Retry refunds');
    // A second pass, then a restart of the process on the same file: nothing is sent again.
    expect((await ts.alerts.run()).sent).toEqual([]);
    await ts.close();
    ts = await open();
    expect((await ts.alerts.run()).sent).toEqual([]);
    expect(dmsTo('U0RUI')).toBe(1);
    expect(dmsTo('U0ANA')).toBe(1);
    // Kai's working hours come: his alert goes, once.
    now = new Date('2026-03-11T01:00:00Z'); // 10:00 in Tokyo
    expect((await ts.alerts.run()).sent.map((s) => s.person)).toEqual(['kai']);
    expect((await ts.alerts.run()).sent).toEqual([]);
    expect(dmsTo('U0KAI')).toBe(1);
    await ts.close();
  });

  it('sends nothing to a person who turned alerts off, until they turn them on', async () => {
    const ts = await open();
    await ts.import(bundle);
    await ts.alerts.off('rui');
    const pass = await ts.alerts.run();
    expect(pass.sent.map((s) => s.person)).toEqual(['ana']);
    expect(pass.skipped).toEqual([{ person: 'rui', reason: 'alerts_off' }]);
    await ts.alerts.on('rui');
    expect((await ts.alerts.run()).sent.map((s) => s.person)).toEqual(['rui']);
    await expect(ts.alerts.off('nobody')).rejects.toThrow(/person/);
    await ts.close();
  });

  it('waits until a requested review is older than `after`', async () => {
    now = new Date('2026-03-10T06:30:00Z'); // 3.5 hours after the PR opened
    const ts = await open();
    await ts.import(bundle);
    expect((await ts.alerts.run()).sent.filter((s) => s.kind === 'review_requested')).toEqual([]);
    now = new Date('2026-03-10T07:30:00Z'); // 16:30 in Tokyo: Kai's alert goes; 07:30 in UTC: Rui's waits
    expect((await ts.alerts.run()).sent.filter((s) => s.kind === 'review_requested').map((s) => s.person)).toEqual(['kai']);
    await ts.close();
  });

  it('posts each team’s daily digest to the channel once a day from its time, through the policy', async () => {
    const digest = { reviewRequested: { after: '4h' }, dailyDigest: { time: '09:00', teams: ['pay'], channel: 'C0DIGEST' } };
    now = new Date('2026-03-10T08:30:00Z');
    let ts = await open(digest);
    await ts.import(bundle);
    expect((await ts.alerts.run()).digests).toEqual([]);
    now = new Date('2026-03-10T09:30:00Z');
    expect((await ts.alerts.run()).digests).toMatchObject([{ team: 'pay', status: 'executed' }]);
    await ts.close();
    ts = await open(digest);
    expect((await ts.alerts.run()).digests).toEqual([]);
    const posts = mock.callsOf('chat.postMessage').filter((call) => call.args.channel === 'C0DIGEST');
    expect(posts).toHaveLength(1);
    expect(String(posts[0]!.args.text)).toContain('Daily digest for pay: 3 waiting');
    expect(String(posts[0]!.args.text)).not.toContain('<!channel>');
    // The next day, the next digest.
    now = new Date('2026-03-11T09:30:00Z');
    expect((await ts.alerts.run()).digests).toHaveLength(1);
    await expect(open({ dailyDigest: { time: '9am', channel: 'C0DIGEST' } })).rejects.toThrow(/alerts\.dailyDigest\.time/);
    await ts.close();
  });

  it('posts the digest at its time on the workspace’s clock (signals.workingHours.timeZone), across a change to summer time', async () => {
    const digest = { reviewRequested: { after: '4h' }, dailyDigest: { time: '09:30', teams: ['pay'], channel: 'C0DIGEST' } };
    const zoned = { signalSettings: { workingHours: { timeZone: 'Europe/Berlin' } } };
    // Friday 27 March, winter time in Berlin (UTC+1): 09:29 there is 08:29 UTC, not yet; 09:30 is 08:30 UTC.
    now = new Date('2026-03-27T08:29:00Z');
    const ts = await open(digest, zoned);
    await ts.import(bundle);
    expect((await ts.alerts.run()).digests).toEqual([]);
    now = new Date('2026-03-27T08:30:00Z');
    expect((await ts.alerts.run()).digests).toMatchObject([{ team: 'pay', status: 'executed' }]);
    // 23:30 UTC that Friday is already Saturday 00:30 in Berlin, before 09:30: Saturday's digest waits.
    now = new Date('2026-03-27T23:30:00Z');
    expect((await ts.alerts.run()).digests).toEqual([]);
    // Monday 30 March, summer time (UTC+2) since Sunday: 09:30 in Berlin is 07:30 UTC.
    now = new Date('2026-03-30T07:29:00Z');
    expect((await ts.alerts.run()).digests).toEqual([]);
    now = new Date('2026-03-30T07:30:00Z');
    expect((await ts.alerts.run()).digests).toMatchObject([{ team: 'pay', status: 'executed' }]);
    await ts.close();
  });
});
