import { proposeSlackMessage, slack } from '@teamstate/connectors/slack';
import { createTeamState, parsePolicyText } from '@teamstate/core';
import { describe, expect, it } from 'vitest';
import { fixture, SLACK_API, slackJson, useSlackMock } from './helpers/slack-mock.js';

// ask_if_channel_public: a post to a public Slack channel is held as ask, a private channel or a DM runs under the
// rule's mode; public is what conversations.info says (is_private: false), and a failed lookup counts as public.
const mock = useSlackMock();
const T0 = Date.parse('2026-03-02T09:00:00Z');

const bundle = {
  format: 'teamstate.bundle/v1',
  teams: [{ id: 'leads', name: 'Leads' }],
  people: [
    { id: 'ana', name: 'Ana', teams: ['leads'], accounts: [{ provider: 'slack', id: 'U0ANA' }] },
    { id: 'ben', name: 'Ben', teams: [], accounts: [{ provider: 'slack', id: 'U0BEN' }] },
  ],
};

async function setup(policyText: string) {
  const ts = await createTeamState({
    database: ':memory:',
    connectors: [slack({ token: 'xoxb-test-token', apiUrl: SLACK_API, sleep: async () => {} })],
    policy: parsePolicyText(policyText, 'policy.yaml'),
    clock: () => new Date(T0),
  });
  mock.keep(ts);
  await ts.import(bundle);
  return ts;
}

const channelInfo = (id: string, isPrivate: boolean) => () => {
  const info = fixture<{ channel: Record<string, unknown> }>('conversations.info');
  return slackJson({ ...info, channel: { ...info.channel, id, name: id.toLowerCase(), is_private: isPrivate, num_members: 4 } });
};
const post = (channel: string) => ({
  channel,
  text: 'Deploy of acme/api finished',
  reason: 'deploy summary',
  requestedBy: 'teamstate-cli',
});

const POLICY = 'actions:\n  slack.message.post: { risk: medium, mode: auto, ask_if_channel_public: true }\n';
// The spelling of seed 001: the mode itself asks for public channels.
const SEED_POLICY = 'actions:\n  slack.message.post:\n    risk: medium\n    mode:\n      ask_if_channel_public: true\n';

describe('ask_if_channel_public', () => {
  it('holds a post to a public channel as ask and runs one to a private channel', async () => {
    const ts = await setup(POLICY);
    mock.on('conversations.info', (call) =>
      call.args.channel === 'C0PUBLIC' ? channelInfo('C0PUBLIC', false)() : channelInfo('G0PRIVATE', true)(),
    );
    const held = await proposeSlackMessage(ts, post('C0PUBLIC'));
    expect(held).toMatchObject({
      status: 'pending',
      mode: 'ask',
      escalation: `channel C0PUBLIC is public and the policy's "slack.message.post" sets ask_if_channel_public, so a person decides`,
    });
    const ran = await proposeSlackMessage(ts, post('G0PRIVATE'));
    expect(ran).toMatchObject({ status: 'executed', mode: 'auto' });
    expect(mock.callsOf('chat.postMessage').map((c) => c.args.channel)).toEqual(['G0PRIVATE']);
    const [proposed] = await ts.audit.list({ approvalId: held.id, type: 'approval.proposed' });
    expect(proposed!.data).toMatchObject({ mode: 'ask', escalation: held.escalation });
  });

  it('counts a failed lookup as public: held', async () => {
    const ts = await setup(POLICY);
    mock.on('conversations.info', () => slackJson(fixture('error.channel_not_found')));
    const held = await proposeSlackMessage(ts, post('C0GONE'));
    expect(held).toMatchObject({ status: 'pending', mode: 'ask' });
    expect(held.escalation).toMatch(/^could not tell whether channel C0GONE is public \(.*channel_not_found.*\), so it counts as public/);
    expect(mock.callsOf('chat.postMessage')).toEqual([]);
  });

  it("accepts seed 001's spelling (mode: { ask_if_channel_public: true }): public held, private run", async () => {
    const ts = await setup(SEED_POLICY);
    mock.on('conversations.info', (call) =>
      call.args.channel === 'C0PUBLIC' ? channelInfo('C0PUBLIC', false)() : channelInfo('G0PRIVATE', true)(),
    );
    expect(await proposeSlackMessage(ts, post('C0PUBLIC'))).toMatchObject({ status: 'pending', mode: 'ask' });
    expect(await proposeSlackMessage(ts, post('G0PRIVATE'))).toMatchObject({ status: 'executed' });
  });

  it('runs a direct message under the rule, without a lookup, and does not look when the rule does not ask', async () => {
    const ts = await setup(POLICY);
    expect(await proposeSlackMessage(ts, post('D0ANA'))).toMatchObject({ status: 'executed' });
    const plain = await setup('actions:\n  slack.message.post: { mode: auto }\n');
    expect(await proposeSlackMessage(plain, post('C0PUBLIC'))).toMatchObject({ status: 'executed' });
    expect(mock.callsOf('conversations.info')).toEqual([]);
  });
});
