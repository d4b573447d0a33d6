import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { slack } from '@teamstate/connectors/slack';
import { createTeamState, parsePolicy, silentLogger, type TeamState } from '@teamstate/core';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { fixture, SLACK_API, slackJson, useSlackMock } from '../../connectors/test/helpers/slack-mock.js';
import { postRiskDigests, riskDigestJob } from '../src/server/risk-digest-schedule.js';
import { createScheduler } from '../src/server/scheduler.js';
import { manualTimers } from './manual-timers.js';

// serve's weekly risk digest (docs/hub.md#risk-register): each team's register in the standup digest's format, posted
// to the team's channel through the policy as slack.message.post, at most once per team and week across restarts and
// two processes sharing the database (the lease @risk-digest, the week recorded before the post).

const mock = useSlackMock();
const dir = mkdtempSync(join(tmpdir(), 'teamstate-risk-digest-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const opened: TeamState[] = [];
afterEach(async () => {
  for (const ts of opened.splice(0)) await ts.close();
});

const MONDAY = Date.parse('2026-03-09T00:00:00Z');
let now = MONDAY + 10 * 3_600_000;

async function open(
  database: string,
  agreements = [
    { id: 'review-in-a-day', signal: 'pr.awaiting_review', teams: ['payments'], after: '24h', notify: 'team', channel: 'C0PAYMENTS' },
  ],
) {
  const ts = await createTeamState({
    database,
    clock: () => new Date(now),
    connectors: [slack({ token: 'xoxb-test-token', apiUrl: SLACK_API })],
    policy: parsePolicy({ actions: { 'slack.message.post': { mode: 'auto' } }, limits: { max_channel_size_auto_post: 10 }, agreements }),
  });
  opened.push(ts);
  return ts;
}

async function seed(ts: TeamState) {
  await ts.import({
    format: 'teamstate.bundle/v1',
    teams: [
      { id: 'payments', name: 'Payments' },
      { id: 'growth', name: 'Growth' },
    ],
    people: [{ id: 'ana', name: 'Ana', teams: ['payments'] }],
    risks: [
      { id: 'r1', team: 'payments', title: 'Card processor sunset', severity: 'high', owner: 'ana', createdAt: '2026-03-05T10:00:00Z' },
      { id: 'r2', team: 'growth', title: 'Funnel knowledge in one head', severity: 'low', createdAt: '2026-03-05T10:00:00Z' },
    ],
  });
}

function channelOfSix() {
  mock.on('conversations.info', () =>
    slackJson({ ok: true, channel: { ...fixture<{ channel: object }>('conversations.info').channel, num_members: 6 } }),
  );
}

/** Timers driven by the test, on the same clock as the TeamStates. */
const testClock = {
  now: () => now,
  set: (at: number) => {
    now = at;
  },
};

describe('the weekly risk digest', () => {
  it("posts each team's digest to its agreements' channel once per week, in the standup's format, through the policy", async () => {
    channelOfSix();
    const database = `file:${join(dir, 'once.db')}`;
    let ts = await open(database);
    await seed(ts);
    expect(await postRiskDigests(ts, silentLogger)).toEqual([{ team: 'payments', outcome: 'posted' }]);
    const posts = mock.callsOf('chat.postMessage');
    expect(posts).toHaveLength(1);
    expect(posts[0]!.args.channel).toBe('C0PAYMENTS');
    const text = String(posts[0]!.args.text);
    expect(text).toMatch(/^```\nRisks for Payments, since /);
    expect(text).toContain('Card processor sunset (high, medium likelihood, open; owner Ana)');
    expect(text).not.toContain('Funnel knowledge');
    const [approval] = await ts.approvals.list({ limit: 10 });
    expect(approval).toMatchObject({ type: 'slack.message.post', status: 'executed', requestedBy: 'teamstate-serve' });

    // Later that week, and after a restart: nothing more.
    now += 2 * 86_400_000;
    expect(await postRiskDigests(ts, silentLogger)).toEqual([{ team: 'payments', outcome: 'already posted' }]);
    await ts.close();
    opened.splice(0);
    ts = await open(database);
    expect(await postRiskDigests(ts, silentLogger)).toEqual([{ team: 'payments', outcome: 'already posted' }]);
    expect(mock.callsOf('chat.postMessage')).toHaveLength(1);
    // The next week (from Monday 00:00 UTC) is due again.
    now = MONDAY + 7 * 86_400_000 + 60_000;
    expect(await postRiskDigests(ts, silentLogger)).toEqual([{ team: 'payments', outcome: 'posted' }]);
    expect(mock.callsOf('chat.postMessage')).toHaveLength(2);
  });

  it('goes out once when two serve processes share the database, each running the job on its scheduler', async () => {
    channelOfSix();
    now = MONDAY + 10 * 3_600_000;
    const database = `file:${join(dir, 'two.db')}`;
    const first = await open(database);
    await seed(first);
    const second = await open(database);
    const clock = manualTimers(testClock);
    const schedulers = [first, second].map((ts, i) => {
      const scheduler = createScheduler({
        log: silentLogger,
        timers: clock.timers,
        lease: (key, ttlMs) => ts.syncLease(key, { holder: `host:${i}`, ttlMs }),
      });
      scheduler.add(riskDigestJob(ts, silentLogger));
      scheduler.start();
      return scheduler;
    });
    // Both start at once, then check every hour for three days.
    await clock.advance(3 * 86_400_000);
    for (const scheduler of schedulers) await scheduler.stop();
    expect(mock.callsOf('chat.postMessage')).toHaveLength(1);
    expect(schedulers.map((s) => s.states()[0]!.runs).every((runs) => runs >= 72)).toBe(true);
    expect(await first.settings.get('risks.digestPosted')).toEqual({ payments: '2026-03-09T00:00:00.000Z' });
  });

  it('sends nothing to a team without a channel, and a policy that denies the post is not retried every hour', async () => {
    now = MONDAY + 10 * 3_600_000;
    const ts = await createTeamState({
      database: ':memory:',
      clock: () => new Date(now),
      connectors: [slack({ token: 'xoxb-test-token', apiUrl: SLACK_API })],
      policy: parsePolicy({
        actions: { 'slack.message.post': { mode: 'deny' } },
        agreements: [
          { id: 'review-in-a-day', signal: 'pr.awaiting_review', teams: ['growth'], after: '24h', notify: 'team', channel: 'C0GROWTH' },
        ],
      }),
    });
    opened.push(ts);
    await seed(ts);
    expect(await postRiskDigests(ts, silentLogger)).toEqual([{ team: 'growth', outcome: 'refused' }]);
    expect(await postRiskDigests(ts, silentLogger)).toEqual([{ team: 'growth', outcome: 'already posted' }]);
    expect(mock.callsOf('chat.postMessage')).toHaveLength(0);
    expect((await ts.approvals.list({ limit: 10 })).map((a) => a.status)).toEqual(['denied']);
  });
});
