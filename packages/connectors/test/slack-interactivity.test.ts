import { APPROVAL_ACTIONS, slack } from '@teamstate/connectors/slack';
import { type Approval, createTeamState, type TeamState } from '@teamstate/core';
import { describe, expect, it } from 'vitest';
import { clickPayload, modifyPayload, SIGNING_SECRET, signedInteraction } from './helpers/slack-interaction.js';
import { SLACK_API, useSlackMock } from './helpers/slack-mock.js';
import { leadsBundle, leadsPolicy } from './helpers/slack-team.js';

const mock = useSlackMock();

const NOW = new Date('2026-03-02T09:00:00Z');
const PATH = 'slack/interactivity';

async function setup() {
  const ts = await createTeamState({
    database: ':memory:',
    connectors: [slack({ token: 'xoxb-test-token', signingSecret: SIGNING_SECRET, apiUrl: SLACK_API, approvalChannel: 'C0APPROVALS' })],
    policy: leadsPolicy as never,
    clock: () => NOW,
  });
  mock.keep(ts);
  await ts.import(leadsBundle);
  return ts;
}

const proposal = (requestedBy = 'assistant') => ({
  type: 'slack.message.post',
  target: 'C0TEAM',
  params: { channel: 'C0TEAM', text: 'Release 4.2 is out' },
  reason: 'announce the release',
  requestedBy,
});

async function click(ts: TeamState, approval: Approval, user: string, action: string = APPROVAL_ACTIONS.approve) {
  const response = await ts.webhooks.receive(PATH, signedInteraction(clickPayload(approval.id, user, action), NOW));
  await response.done;
  return response;
}

async function refusals(ts: TeamState, approval: Approval) {
  return (await ts.audit.list({ approvalId: approval.id, type: 'approval.decision_refused' })).map((e) => ({
    actor: e.actor,
    code: e.data.code,
  }));
}

describe('Slack interactivity: deciding with buttons', () => {
  it('an allowed approver approves: answered at once with an empty 200, then decided and executed once', async () => {
    const ts = await setup();
    const approval = await ts.actions.propose(proposal());
    const response = await ts.webhooks.receive(PATH, signedInteraction(clickPayload(approval.id, 'U0ANA', APPROVAL_ACTIONS.approve), NOW));
    expect(response).toMatchObject({ status: 200, answer: null });
    await response.done;
    expect(await ts.approvals.get(approval.id)).toMatchObject({ status: 'executed', decidedBy: 'ana', decision: 'approve' });
    expect(mock.callsOf('chat.postMessage').map((c) => [c.args.channel, c.args.text])).toEqual([['C0TEAM', 'Release 4.2 is out']]);
    expect(mock.responses).toEqual([]);
  });

  it('a non-approver gets an ephemeral explanation and the refusal is audited; nothing changes', async () => {
    const ts = await setup();
    const approval = await ts.actions.propose(proposal());
    const response = await click(ts, approval, 'U0BEN');
    expect(response).toMatchObject({ status: 200, answer: null });
    expect(mock.responses).toEqual([
      {
        response_type: 'ephemeral',
        replace_original: false,
        text: ':no_entry_sign: You cannot decide this one: ben may not decide high-risk actions (allowed: team:leads).',
      },
    ]);
    expect(await refusals(ts, approval)).toEqual([{ actor: 'ben', code: 'not_an_approver' }]);
    expect((await ts.approvals.get(approval.id))!.status).toBe('pending');
    expect(mock.callsOf('chat.postMessage')).toEqual([]);
  });

  it('the requester cannot approve their own proposal', async () => {
    const ts = await setup();
    const approval = await ts.actions.propose(proposal('ana'));
    await click(ts, approval, 'U0ANA');
    expect(mock.responses.map((r) => r.text)).toEqual([':no_entry_sign: You proposed this action, so someone else has to decide it.']);
    expect(await refusals(ts, approval)).toEqual([{ actor: 'ana', code: 'self_decision' }]);
    expect((await ts.approvals.get(approval.id))!.status).toBe('pending');
  });

  it('a Slack user linked to nobody is told how to get linked, and the attempt is audited under their Slack id', async () => {
    const ts = await setup();
    const approval = await ts.actions.propose(proposal());
    await click(ts, approval, 'U0NOBODY');
    expect(mock.responses[0]!.text).toBe(
      ':no_entry_sign: Your Slack account (<@U0NOBODY>) is not linked to a person in teamstate, so your click did not count. Ask whoever runs teamstate to sync Slack (`teamstate sync --only slack`) or to add `slack: U0NOBODY` to your entry under `people:` in teamstate.config.yaml.',
    );
    expect(await refusals(ts, approval)).toEqual([{ actor: 'slack:U0NOBODY', code: 'unknown_approver' }]);
  });

  it('a replay of the same request changes nothing; a later click on the decided approval changes nothing either', async () => {
    const ts = await setup();
    const approval = await ts.actions.propose(proposal());
    const request = signedInteraction(clickPayload(approval.id, 'U0ANA', APPROVAL_ACTIONS.approve), NOW);
    await (await ts.webhooks.receive(PATH, request)).done;
    const head = await ts.audit.head();
    const replay = await ts.webhooks.receive(PATH, request);
    expect(replay).toMatchObject({ status: 200, answer: null, body: { duplicate: true } });
    expect(replay.done).toBeUndefined();
    expect(await ts.audit.head()).toEqual(head); // not even a refusal was recorded

    await click(ts, approval, 'U0DEV', APPROVAL_ACTIONS.decline);
    expect(mock.responses.map((r) => r.text)).toEqual([
      `:information_source: Nothing changed: approval ${approval.id} is already executed; only a pending approval can be decided.`,
    ]);
    expect(await ts.approvals.get(approval.id)).toMatchObject({ status: 'executed', decidedBy: 'ana' });
    expect(mock.callsOf('chat.postMessage')).toHaveLength(1);
  });

  it('declining runs nothing', async () => {
    const ts = await setup();
    const approval = await ts.actions.propose(proposal());
    await click(ts, approval, 'U0DEV', APPROVAL_ACTIONS.decline);
    expect(await ts.approvals.get(approval.id)).toMatchObject({ status: 'declined', decidedBy: 'dev' });
    expect(mock.callsOf('chat.postMessage')).toEqual([]);
  });

  it('refuses a forged or stale request with 401 and an unusable one with 400, deciding nothing', async () => {
    const ts = await setup();
    const approval = await ts.actions.propose(proposal());
    const payload = clickPayload(approval.id, 'U0ANA', APPROVAL_ACTIONS.approve);
    expect((await ts.webhooks.receive(PATH, signedInteraction(payload, NOW, 'wrong-secret'))).status).toBe(401);
    expect((await ts.webhooks.receive(PATH, signedInteraction(payload, new Date(NOW.getTime() - 301_000)))).status).toBe(401);
    const signed = signedInteraction(payload, NOW);
    const swapped = { headers: signed.headers, rawBody: Buffer.from(signed.rawBody.toString().replace('U0ANA', 'U0DEV')) };
    expect((await ts.webhooks.receive(PATH, swapped)).status).toBe(401);
    expect((await ts.webhooks.receive(PATH, { headers: {}, rawBody: signed.rawBody })).status).toBe(401);
    const noUser = { ...payload, user: undefined };
    expect(await ts.webhooks.receive(PATH, signedInteraction(noUser, NOW))).toMatchObject({
      status: 400,
      body: { message: expect.stringMatching(/^block_actions\.user: /) },
    });
    expect((await ts.approvals.get(approval.id))!.status).toBe('pending');
    expect(await ts.audit.list({ approvalId: approval.id })).toHaveLength(1); // only the proposal
  });

  it('answers other interactions (a closed modal) with an empty 200 and does nothing', async () => {
    const ts = await setup();
    const response = await ts.webhooks.receive(PATH, signedInteraction({ type: 'view_closed', user: { id: 'U0ANA' }, view: {} }, NOW));
    expect(response).toMatchObject({ status: 200, answer: null, body: { message: 'ignored view_closed' } });
    expect(response.done).toBeUndefined();
  });
});

describe('Slack interactivity: approve with changes', () => {
  it('opens a modal with the parameters, checks the edit before closing it, and approves the changed params', async () => {
    const ts = await setup();
    const approval = await ts.actions.propose(proposal());
    const opened = await click(ts, approval, 'U0ANA', APPROVAL_ACTIONS.modify);
    expect(opened.answer).toBeNull();
    const [open] = mock.callsOf('views.open');
    const view = open!.args.view as {
      callback_id: string;
      private_metadata: string;
      blocks: { block_id?: string; element?: { initial_value?: string } }[];
    };
    expect(open!.args.trigger_id).toMatch(/^1772442020\.3810\.trigger\d+$/);
    expect(view.callback_id).toBe('teamstate.modify');
    expect(JSON.parse(view.private_metadata)).toEqual({ approval: approval.id, type: 'slack.message.post', channel: 'C0APPROVALS' });
    expect(JSON.parse(view.blocks.find((b) => b.block_id === 'params')!.element!.initial_value!)).toEqual(approval.params);

    const submit = (text: string, reason: string | null = null) =>
      ts.webhooks.receive(PATH, signedInteraction(modifyPayload(approval.id, 'slack.message.post', 'U0ANA', text, reason), NOW));
    expect((await submit('{ "channel": "C0TEAM", ')).answer).toEqual({
      response_action: 'errors',
      errors: { params: expect.stringMatching(/^Not valid JSON: /) },
    });
    expect((await submit('{ "channel": "C0TEAM", "text": "" }')).answer).toEqual({
      response_action: 'errors',
      errors: { params: 'params.text: must not be empty' },
    });
    expect((await ts.approvals.get(approval.id))!.status).toBe('pending');

    const accepted = await submit('{ "channel": "C0TEAM", "text": "Release 4.2.1 is out" }', 'the patch release shipped too');
    expect(accepted.answer).toBeNull();
    await accepted.done;
    expect(await ts.approvals.get(approval.id)).toMatchObject({
      status: 'executed',
      decision: 'modify',
      decidedBy: 'ana',
      decisionReason: 'the patch release shipped too',
      params: { channel: 'C0TEAM', text: 'Release 4.2.1 is out' },
    });
    expect(mock.callsOf('chat.postMessage').map((c) => c.args.text)).toEqual(['Release 4.2.1 is out']);
    const [decided] = await ts.audit.list({ approvalId: approval.id, type: 'approval.decided' });
    expect(decided!.data).toMatchObject({ decision: 'modify', previousParams: { text: 'Release 4.2 is out' } });
    // How the decider was authenticated: the Slack user verified by the request's signature.
    expect(decided!.data.authentication).toMatchObject({ method: 'slack' });
    expect(String((decided!.data.authentication as { user: string }).user)).toMatch(/^U/);
  });

  it('tells a non-approver privately after they submit changes, and changes nothing', async () => {
    const ts = await setup();
    const approval = await ts.actions.propose(proposal());
    const response = await ts.webhooks.receive(
      PATH,
      signedInteraction(modifyPayload(approval.id, 'slack.message.post', 'U0BEN', '{ "channel": "C0TEAM", "text": "changed" }'), NOW),
    );
    await response.done;
    expect(mock.callsOf('chat.postEphemeral').map((c) => c.args)).toEqual([
      {
        channel: 'C0APPROVALS',
        user: 'U0BEN',
        text: ':no_entry_sign: You cannot decide this one: ben may not decide high-risk actions (allowed: team:leads).',
      },
    ]);
    expect(await ts.approvals.get(approval.id)).toMatchObject({ status: 'pending', params: { text: 'Release 4.2 is out' } });
  });

  it('answers in the DM where the request was, or opens one when it does not know where the click came from', async () => {
    const ts = await setup();
    const approval = await ts.actions.propose(proposal());
    const edit = '{ "channel": "C0TEAM", "text": "changed" }';
    await (
      await ts.webhooks.receive(
        PATH,
        signedInteraction(modifyPayload(approval.id, 'slack.message.post', 'U0BEN', edit, null, 'D0BEN'), NOW),
      )
    ).done;
    await (
      await ts.webhooks.receive(PATH, signedInteraction(modifyPayload(approval.id, 'slack.message.post', 'U0BEN', edit, null, null), NOW))
    ).done;
    expect(mock.callsOf('chat.postEphemeral')).toEqual([]);
    expect(mock.callsOf('conversations.open').map((c) => c.args.users)).toEqual(['U0BEN']);
    expect(mock.callsOf('chat.postMessage').map((c) => c.args.channel)).toEqual(['D0BEN', 'D0BEN']);
    expect((await ts.approvals.get(approval.id))!.status).toBe('pending');
  });

  it('says so instead of opening the modal when the approval is no longer pending', async () => {
    const ts = await setup();
    const approval = await ts.actions.propose(proposal());
    await ts.approvals.decide(approval.id, { decision: 'decline', by: 'dev' });
    await click(ts, approval, 'U0ANA', APPROVAL_ACTIONS.modify);
    expect(mock.callsOf('views.open')).toEqual([]);
    expect(mock.responses.map((r) => r.text)).toEqual([`:no_entry_sign: Nothing to change: approval ${approval.id} is already declined.`]);
  });
});
