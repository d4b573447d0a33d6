import { proposeSlackMessage, slack } from '@teamstate/connectors/slack';
import { type ActionContext, createTeamState, silentLogger, TeamStateError } from '@teamstate/core';
import { HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';
import { fixture, rateLimited, SLACK_API, slackJson, useSlackMock } from './helpers/slack-mock.js';

const mock = useSlackMock();

const T0 = Date.parse('2026-03-02T09:00:00Z');

const bundle = {
  format: 'teamstate.bundle/v1',
  teams: [{ id: 'leads', name: 'Leads' }],
  people: [
    { id: 'ana', name: 'Ana', teams: ['leads'], accounts: [{ provider: 'slack', id: 'U0ANA' }] },
    { id: 'ben', name: 'Ben', teams: [] },
  ],
};

const autoPolicy = { actions: { 'slack.*': { mode: 'auto' } }, limits: { max_channel_size_auto_post: 10 }, ttl: { default: '1h' } };

async function setup(policy: unknown = autoPolicy) {
  const waits: number[] = [];
  const ts = await createTeamState({
    database: ':memory:',
    connectors: [slack({ token: 'xoxb-test-token', apiUrl: SLACK_API, sleep: async (ms) => void waits.push(ms) })],
    policy: policy as never,
    clock: () => new Date(T0),
  });
  mock.keep(ts);
  await ts.import(bundle);
  return { ts, waits };
}

const small = () =>
  slackJson({
    ...fixture<{ channel: object }>('conversations.info'),
    channel: { ...fixture<{ channel: object }>('conversations.info').channel, id: 'C0TEAM', num_members: 4 },
  });
const digest = {
  channel: 'C0TEAM',
  text: '*Standup* — 3 PRs waiting for review',
  reason: 'daily standup digest',
  requestedBy: 'teamstate-cli',
};

describe('slack.message.post', () => {
  it('posts once, with the idempotency key as message metadata, when the policy allows it and the channel is small', async () => {
    const { ts } = await setup();
    mock.on('conversations.info', small);
    const approval = await proposeSlackMessage(ts, digest);
    expect(approval).toMatchObject({ status: 'executed', mode: 'auto', result: { channel: 'C0TEAM', ts: '1772442000.000001' } });
    expect(mock.callsOf('conversations.info').map((c) => c.args)).toEqual([{ channel: 'C0TEAM', include_num_members: 'true' }]);
    const [posted] = mock.callsOf('chat.postMessage');
    expect(posted!.args).toEqual({
      channel: 'C0TEAM',
      text: digest.text,
      metadata: { event_type: 'teamstate_action', event_payload: { approval_id: approval.id, idempotency_key: approval.idempotencyKey } },
      unfurl_links: 'false',
      unfurl_media: 'false',
    });
    expect(mock.callsOf('chat.postMessage')).toHaveLength(1);
  });

  it('waits for a person when the channel is larger than limits.max_channel_size_auto_post, posting nothing', async () => {
    const { ts } = await setup();
    const approval = await proposeSlackMessage(ts, { ...digest, channel: 'C0GENERAL' });
    expect(approval).toMatchObject({
      status: 'pending',
      mode: 'ask',
      escalation: 'channel C0GENERAL has 240 members, more than limits.max_channel_size_auto_post (10)',
    });
    expect(mock.callsOf('chat.postMessage')).toEqual([]);
    // A person approves, and then it is posted.
    expect(await ts.approvals.decide(approval.id, { decision: 'approve', by: 'ana' })).toMatchObject({ status: 'executed' });
    expect(mock.callsOf('chat.postMessage')).toHaveLength(1);
  });

  it('waits for a person when the channel size cannot be checked', async () => {
    const { ts } = await setup();
    mock.on('conversations.info', () => slackJson(fixture('error.channel_not_found')));
    const approval = await proposeSlackMessage(ts, digest);
    expect(approval.status).toBe('pending');
    expect(approval.escalation).toMatch(
      /^slack\.message\.post could not check whether these params need a person \(conversations\.info: Slack answered "channel_not_found"/,
    );
  });

  it('does not look at the channel when the policy already asks, or when there is no limit', async () => {
    const asking = await setup({ actions: { 'slack.*': { mode: 'ask' } }, limits: { max_channel_size_auto_post: 10 } });
    expect((await proposeSlackMessage(asking.ts, digest)).status).toBe('pending');
    const unlimited = await setup({ actions: { 'slack.*': { mode: 'auto' } } });
    expect((await proposeSlackMessage(unlimited.ts, digest)).status).toBe('executed');
    expect(mock.callsOf('conversations.info')).toEqual([]);
  });

  it('queues a rate-limited post again after Retry-After, within the deadline, and posts it once', async () => {
    const { ts, waits } = await setup();
    mock.on('conversations.info', small);
    mock.on('chat.postMessage', (call, index) =>
      index === 0 ? rateLimited(2) : slackJson({ ...fixture('chat.postMessage'), channel: call.args.channel }),
    );
    const approval = await proposeSlackMessage(ts, digest);
    expect(approval.status).toBe('executed');
    expect(waits).toEqual([2000]);
    expect(mock.callsOf('chat.postMessage')).toHaveLength(2);
  });

  it('does not post late: a rate limit that would pass the deadline fails the action without waiting or sending again', async () => {
    const { ts, waits } = await setup();
    mock.on('conversations.info', small);
    mock.on('chat.postMessage', () => rateLimited(1800)); // half an hour
    const approval = await proposeSlackMessage(ts, digest);
    expect(approval.status).toBe('failed');
    expect(approval.error!.code).toBe('executor_error');
    // Auto: claimed at T0, so the executor may wait at most half the 10-minute execution lease.
    expect(approval.error!.message).toBe(
      "chat.postMessage: Slack rate limited it (retry after 1800 s); waiting would pass this action's deadline 2026-03-02T09:05:00.000Z, so it was not sent: propose it again",
    );
    expect(waits).toEqual([]);
    expect(mock.callsOf('chat.postMessage')).toHaveLength(1);
  });

  it('never resends a post that got no clear answer: it looks it up by its idempotency key', async () => {
    const { ts } = await setup();
    mock.on('conversations.info', small);
    mock.on('chat.postMessage', () => new HttpResponse('upstream timeout', { status: 503 }));
    const lost = await proposeSlackMessage(ts, digest);
    expect(lost.status).toBe('failed');
    expect(lost.error!.message).toBe(
      "chat.postMessage: Slack answered HTTP 503; no message with this approval's idempotency key is in C0TEAM, and it was not sent again: propose it again if it should be",
    );
    expect(mock.callsOf('chat.postMessage')).toHaveLength(1);
    expect(mock.callsOf('conversations.history')[0]!.args).toMatchObject({ channel: 'C0TEAM', include_all_metadata: 'true', limit: '200' });

    // This time the post did land before the connection dropped: found, so the action counts as done.
    mock.on('conversations.history', (call) => {
      const key = (mock.callsOf('chat.postMessage').at(-1)!.args.metadata as { event_payload: { idempotency_key: string } }).event_payload
        .idempotency_key;
      const history = fixture<{ messages: Record<string, unknown>[] }>('conversations.history');
      history.messages[1]!.metadata = { event_type: 'teamstate_action', event_payload: { idempotency_key: key } };
      return slackJson({ ...history, channel: call.args.channel });
    });
    const landed = await proposeSlackMessage(ts, digest);
    expect(landed).toMatchObject({ status: 'executed', result: { channel: 'C0TEAM', ts: '1772442000.000200' } });
    expect(mock.callsOf('chat.postMessage')).toHaveLength(2); // one per proposal, never a second try
  });

  it('refuses a channel name, naming the field and the fix', async () => {
    const { ts } = await setup();
    const error = await proposeSlackMessage(ts, { ...digest, channel: '#general' }).catch((e: unknown) => e);
    expect(TeamStateError.isInstance(error) && error.code).toBe('invalid_params');
    expect((error as Error).message).toContain(
      'params.channel: expected a Slack channel id such as C0123ABCD (copy it from the channel details; names can change)',
    );
  });
});

describe('slack.dm.send', () => {
  it('opens the DM and posts to it once', async () => {
    const { ts } = await setup();
    const approval = await ts.actions.propose({
      type: 'slack.dm.send',
      target: 'U0ANA',
      params: { user: 'U0ANA', text: 'Your PR has waited 3 days for review' },
      reason: 'nudge',
      requestedBy: 'assistant',
    });
    expect(approval).toMatchObject({ status: 'executed', result: { channel: 'D0ANA' } });
    expect(mock.callsOf('conversations.open')[0]!.args).toEqual({ users: 'U0ANA' });
    expect(mock.callsOf('chat.postMessage').map((c) => c.args.channel)).toEqual(['D0ANA']);
  });
});

describe('checkExecuted (after a crash left an approval executing)', () => {
  const ctx = (idempotencyKey: string): ActionContext => ({
    workspace: 'default',
    approvalId: 'apr_1',
    idempotencyKey,
    requestedBy: 'assistant',
    target: 'C0TEAM',
    limits: {},
    deadline: new Date(T0 + 60_000),
    log: silentLogger,
    now: () => new Date(T0),
  });

  it('finds the post by its idempotency key in the channel history, or says it did not happen', async () => {
    const post = slack({ token: 'xoxb-test-token', apiUrl: SLACK_API }).actions!.find((a) => a.type === 'slack.message.post')!;
    const params = { channel: 'C0TEAM', text: 'hi' };
    expect(await post.checkExecuted!(params, ctx('00000000-0000-4000-8000-000000000000'))).toEqual({
      executed: true,
      result: { channel: 'C0TEAM', ts: '1772442000.000200' },
    });
    expect(await post.checkExecuted!(params, ctx('11111111-1111-4111-8111-111111111111'))).toEqual({ executed: false });
  });
});
