import { APPROVAL_ACTIONS, slack } from '@teamstate/connectors/slack';
import { type ApprovalWatch, createTeamState, type TeamState } from '@teamstate/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clickPayload, SIGNING_SECRET, signedInteraction } from '../../connectors/test/helpers/slack-interaction.js';
import { createSlackMock, SLACK_API, type SlackCall } from '../../connectors/test/helpers/slack-mock.js';
import { postToSlack } from '../src/post-to-slack.js';
import { listenInProcess } from './listen-in-process.js';
import { until } from './until.js';

// The whole loop as `teamstate serve` runs it: the HTTP server, the approvals watch and a mock Slack.
const mock = createSlackMock();
const NOW = new Date('2026-03-02T09:00:00Z');

let ts: TeamState;
let watch: ApprovalWatch;
let base: string;
let closeServer: () => Promise<void>;

beforeAll(async () => {
  mock.listen();
  ts = await createTeamState({
    database: ':memory:',
    connectors: [slack({ token: 'xoxb-test-token', signingSecret: SIGNING_SECRET, apiUrl: SLACK_API, approvalChannel: 'C0APPROVALS' })],
    policy: {
      actions: { 'slack.message.post': { risk: 'high', mode: 'require_approval' } },
      approvers: { high: ['team:leads'] },
      limits: { max_channel_size_auto_post: 10 },
    },
    clock: () => NOW,
  });
  await ts.import({
    format: 'teamstate.bundle/v1',
    teams: [{ id: 'leads', name: 'Leads' }],
    people: [{ id: 'ana', name: 'Ana', teams: ['leads'], accounts: [{ provider: 'slack', id: 'U0ANA' }] }],
  });
  ({ base, close: closeServer } = await listenInProcess(ts));
  watch = ts.approvals.watch({ intervalMs: 50 });
});

afterAll(async () => {
  await watch.stop();
  await closeServer();
  await ts.close();
  mock.server.close();
});

const headerOf = (call: SlackCall) => (call.args.blocks as { text?: { text: string } }[])[0]!.text!.text;

describe('Slack approvals end to end (teamstate serve)', () => {
  it('posts a pending high-risk approval, takes a signed click from an approver, executes once and updates the message', async () => {
    const outcome = await postToSlack(ts, { channel: 'C0TEAM', text: '*Standup*: 2 PRs wait for review', reason: 'daily standup digest' });
    expect(outcome.exitCode).toBe(0);
    expect(outcome.message).toBe(
      `Waiting for approval ${outcome.approval.id}: approve it in Slack, or run teamstate approvals approve ${outcome.approval.id} --as <person>.`,
    );
    const { approval } = outcome;

    // The watch posts the request with its buttons to the approval channel.
    const request = await until('the approval request', () =>
      mock.callsOf('chat.postMessage').find((c) => c.args.channel === 'C0APPROVALS'),
    );
    expect(headerOf(request)).toBe('Approval needed: slack.message.post');
    const buttons = (request.args.blocks as { type: string; elements?: { action_id: string }[] }[]).find((b) => b.type === 'actions')!;
    expect(buttons.elements!.map((e) => e.action_id)).toContain(APPROVAL_ACTIONS.approve);

    // Ana clicks Approve: Slack sends a signed form to the interactivity URL; it is answered with an empty 200.
    const click = signedInteraction(clickPayload(approval.id, 'U0ANA', APPROVAL_ACTIONS.approve), NOW);
    const response = await fetch(`${base}/webhooks/slack/interactivity`, {
      method: 'POST',
      headers: click.headers as Record<string, string>,
      body: click.rawBody,
    });
    expect(response.status).toBe(200);
    expect(await response.text()).toBe('');

    // The message is updated in place once the action has run.
    const done = await until('the final update', () =>
      mock.callsOf('chat.update').find((c) => headerOf(c).startsWith('Approved and done')),
    );
    expect(done.args).toMatchObject({ channel: 'C0APPROVALS', ts: '1772442000.000001' }); // the request's own message
    expect(await ts.approvals.get(approval.id)).toMatchObject({ status: 'executed', decidedBy: 'ana' });
    // Executed exactly once: one post to the team channel, even after more watch passes and a replayed click.
    const replay = await fetch(`${base}/webhooks/slack/interactivity`, {
      method: 'POST',
      headers: click.headers as Record<string, string>,
      body: click.rawBody,
    });
    expect(replay.status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(mock.callsOf('chat.postMessage').filter((c) => c.args.channel === 'C0TEAM')).toHaveLength(1);
    expect(mock.responses).toEqual([]);
    expect((await ts.audit.verify()).ok).toBe(true);
  });

  it('refuses a click with a bad signature over HTTP with 401', async () => {
    const click = signedInteraction(clickPayload('apr_x', 'U0ANA', APPROVAL_ACTIONS.approve), NOW, 'not-the-secret');
    const response = await fetch(`${base}/webhooks/slack/interactivity`, {
      method: 'POST',
      headers: click.headers as Record<string, string>,
      body: click.rawBody,
    });
    expect(response.status).toBe(401);
  });
});
