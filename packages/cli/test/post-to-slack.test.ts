import { slack } from '@teamstate/connectors/slack';
import { createTeamState } from '@teamstate/core';
import { describe, expect, it } from 'vitest';
import { fixture, SLACK_API, slackJson, useSlackMock } from '../../connectors/test/helpers/slack-mock.js';
import { buildConnectors } from '../src/config/build-connectors.js';
import type { LoadedConfig } from '../src/config/load-config.js';
import { postToSlack } from '../src/post-to-slack.js';

const mock = useSlackMock();

async function withPolicy(policy: unknown, connectors = [slack({ token: 'xoxb-test-token', apiUrl: SLACK_API })]) {
  const ts = await createTeamState({ database: ':memory:', connectors, policy: policy as never });
  mock.keep(ts);
  return ts;
}

const digest = { channel: 'C0TEAM', text: '*Standup*: all green', reason: 'daily standup digest' };

describe('postToSlack (what `teamstate standup --post` calls)', () => {
  it('posts at once where the policy allows it and the channel is small', async () => {
    mock.on('conversations.info', () =>
      slackJson({ ok: true, channel: { ...fixture<{ channel: object }>('conversations.info').channel, num_members: 6 } }),
    );
    const ts = await withPolicy({ actions: { 'slack.message.post': { mode: 'auto' } }, limits: { max_channel_size_auto_post: 10 } });
    const outcome = await postToSlack(ts, digest);
    expect(outcome).toMatchObject({ exitCode: 0, message: 'Posted to C0TEAM (message 1772442000.000001).' });
    expect(outcome.approval).toMatchObject({ requestedBy: 'teamstate-cli', reason: 'daily standup digest' });
  });

  it('waits for a person when the channel is too large to post to automatically, saying why', async () => {
    const ts = await withPolicy({ actions: { 'slack.message.post': { mode: 'auto' } }, limits: { max_channel_size_auto_post: 10 } });
    const outcome = await postToSlack(ts, { ...digest, channel: 'C0GENERAL' });
    expect(outcome.exitCode).toBe(0);
    expect(outcome.message).toBe(
      `Waiting for approval ${outcome.approval.id} (channel C0GENERAL has 240 members, more than limits.max_channel_size_auto_post (10)): approve it in Slack, or run teamstate approvals approve ${outcome.approval.id} --as <person>.`,
    );
    expect(mock.callsOf('chat.postMessage')).toEqual([]);
  });

  it('reports a policy that denies posting, and a missing Slack connector', async () => {
    const denied = await withPolicy({ actions: { 'slack.*': { mode: 'deny' } } });
    expect(await postToSlack(denied, digest)).toMatchObject({
      exitCode: 1,
      message: expect.stringMatching(/^Not posted: the policy denies slack.message.post/),
    });
    const none = await withPolicy(undefined, []);
    await expect(postToSlack(none, digest)).rejects.toThrow('connectors.slack is not configured: add it to teamstate.config.yaml');
  });
});

describe('buildConnectors with connectors.slack', () => {
  const loaded = (slackSection: Record<string, unknown>): LoadedConfig => ({
    path: '/project/teamstate.config.yaml',
    config: { connectors: { slack: slackSection as never } },
    secretPaths: [],
  });

  it('builds the Slack connector from the config section', async () => {
    const connectors = await buildConnectors(
      loaded({ token: 'xoxb-1', signingSecret: 'sig', apiUrl: SLACK_API, approvalChannel: 'C0APPROVALS' }),
    );
    expect(connectors.map((c) => c.id)).toEqual(['config', 'slack']);
    expect([connectors[1]!.interactions].flat().map((spec) => spec?.path)).toEqual(['slack/interactivity', 'slack/commands']);
    expect(connectors[1]!.approvalChannel?.id).toBe('slack');
  });

  it('says where a bad setting is', async () => {
    await expect(buildConnectors(loaded({ token: 'xoxb-1', approvalChannel: '#approvals' }))).rejects.toThrow(
      '/project/teamstate.config.yaml: connectors.slack: approvalChannel: expected a channel id such as C0123ABCD, got "#approvals"',
    );
  });
});
