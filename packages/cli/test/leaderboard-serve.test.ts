import { slack } from '@teamstate/connectors/slack';
import { createTeamState, parsePolicy, silentLogger, type TeamState } from '@teamstate/core';
import { afterEach, describe, expect, it } from 'vitest';
import { fixture, SLACK_API, slackJson, useSlackMock } from '../../connectors/test/helpers/slack-mock.js';
import { postWeeklyLeaderboard } from '../src/server/leaderboard-schedule.js';

// serve's weekly leaderboard pass: due after the schedule, posted once through the policy, remembered across restarts.

const mock = useSlackMock();
let ts: TeamState | undefined;
afterEach(async () => {
  await ts?.close();
  ts = undefined;
});

describe('postWeeklyLeaderboard', () => {
  it('posts once per week after the schedule, and not before or again', async () => {
    mock.on('conversations.info', () =>
      slackJson({ ok: true, channel: { ...fixture<{ channel: object }>('conversations.info').channel, num_members: 6 } }),
    );
    let now = new Date('2026-03-09T08:59:00Z');
    const open = () =>
      createTeamState({
        database: ':memory:',
        clock: () => now,
        connectors: [slack({ token: 'xoxb-test-token', apiUrl: SLACK_API })],
        policy: parsePolicy({ actions: { 'slack.message.post': { mode: 'auto' } }, limits: { max_channel_size_auto_post: 10 } }),
      });
    ts = await open();
    await ts.import({ format: 'teamstate.bundle/v1', people: [{ id: 'ana', name: 'Ana' }] });
    const settings = { enabled: true, channel: 'C0TEAM', schedule: 'mon 09:00' };
    // Monday 08:59: last week's slot is more than a day old, so nothing is due.
    expect(await postWeeklyLeaderboard(ts, settings, silentLogger)).toBe('not due');
    now = new Date('2026-03-09T09:01:00Z');
    expect(await postWeeklyLeaderboard(ts, settings, silentLogger)).toBe('posted');
    expect(await postWeeklyLeaderboard(ts, settings, silentLogger)).toBe('already posted');
    const posts = mock.callsOf('chat.postMessage');
    expect(posts).toHaveLength(1);
    expect(posts[0]!.args.channel).toBe('C0TEAM');
    expect(String(posts[0]!.args.text)).toContain('*Leaderboard* 2026-03-02 to 2026-03-09');
    expect(await ts.settings.get('leaderboard.lastPosted')).toBe('2026-03-09T09:00:00.000Z');
  });
});
