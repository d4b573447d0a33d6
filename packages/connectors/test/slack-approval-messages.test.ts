import { approvalMessage, slack } from '@teamstate/connectors/slack';
import { type Approval, createTeamState } from '@teamstate/core';
import { describe, expect, it } from 'vitest';
import { SIGNING_SECRET } from './helpers/slack-interaction.js';
import { rateLimited, SLACK_API, type SlackCall, useSlackMock } from './helpers/slack-mock.js';
import { leadsBundle, leadsPolicy } from './helpers/slack-team.js';

const mock = useSlackMock();

const T0 = Date.parse('2026-03-02T09:00:00Z');
let now = T0;

async function setup(
  options: { approvalChannel?: string; signingSecret?: string } = { approvalChannel: 'C0APPROVALS', signingSecret: SIGNING_SECRET },
) {
  now = T0;
  const ts = await createTeamState({
    database: ':memory:',
    connectors: [slack({ token: 'xoxb-test-token', apiUrl: SLACK_API, ...options })],
    policy: leadsPolicy as never,
    clock: () => new Date(now),
  });
  mock.keep(ts);
  await ts.import(leadsBundle);
  return ts;
}

const post = {
  type: 'slack.message.post',
  target: 'C0TEAM',
  params: { channel: 'C0TEAM', text: 'Release 4.2 is out' },
  reason: 'announce the release',
  requestedBy: 'assistant',
};

type Blocks = { type: string; text?: { text: string }; fields?: { text: string }[]; elements?: Record<string, unknown>[] }[];
const blocksOf = (call: SlackCall) => call.args.blocks as Blocks;
const textOf = (blocks: Blocks) => JSON.stringify(blocks);

describe('approval requests in Slack', () => {
  it('posts a pending approval to the approval channel with everything an approver needs, then updates it in place once decided', async () => {
    const ts = await setup();
    const approval = await ts.actions.propose(post);
    expect(await ts.approvals.publish()).toEqual({ shown: [approval.id], updated: [], failed: [] });
    const [posted] = mock.callsOf('chat.postMessage');
    expect(posted!.args).toMatchObject({
      channel: 'C0APPROVALS',
      text: 'Approval needed: slack.message.post on C0TEAM (high risk), proposed by assistant',
      metadata: { event_type: 'teamstate_approval', event_payload: { approval_id: approval.id } },
    });
    const blocks = blocksOf(posted!);
    const shown = textOf(blocks);
    for (const part of [
      'slack.message.post',
      'C0TEAM',
      'assistant',
      'announce the release',
      '*Risk*\\nhigh',
      'require_approval',
      'Who can approve\\nteam:leads',
    ]) {
      expect(shown).toContain(part);
    }
    expect(shown).toContain(`<!date^${(T0 + 4 * 3_600_000) / 1000}^{date_short_pretty} at {time}|2026-03-02T13:00:00.000Z>`);
    expect(shown).toContain('\\"text\\": \\"Release 4.2 is out\\"'); // the exact parameters
    const actions = blocks.find((b) => b.type === 'actions')!.elements!;
    expect(actions.map((e) => e.action_id)).toEqual(['teamstate.approve', 'teamstate.decline', 'teamstate.modify']);
    expect(actions[0]).toMatchObject({ value: approval.id, style: 'primary', confirm: { title: { text: 'Approve a high-risk action?' } } });

    // Decided from the SDK (or the CLI, or another process): the same message is updated, without buttons.
    await ts.approvals.decide(approval.id, { decision: 'approve', by: 'ana', reason: 'ship it' });
    expect((await ts.approvals.publish()).updated).toEqual([approval.id]);
    const [update] = mock.callsOf('chat.update');
    expect(update!.args).toMatchObject({ channel: 'C0APPROVALS', ts: '1772442000.000001' });
    const updated = blocksOf(update!);
    expect(updated[0]!.text!.text).toBe('Approved and done: slack.message.post');
    expect(textOf(updated)).toContain('Approved by <@U0ANA> · done');
    expect(textOf(updated)).toContain('Reason: ship it');
    expect(updated.find((b) => b.type === 'actions')).toBeUndefined();
    expect(await ts.approvals.publish()).toEqual({ shown: [], updated: [], failed: [] });
  });

  it('sends a direct message to each eligible approver with Slack when no approval channel is set', async () => {
    const ts = await setup({ signingSecret: SIGNING_SECRET });
    const approval = await ts.actions.propose({ ...post, requestedBy: 'dev' });
    await ts.actions.propose({ ...post, type: 'slack.dm.send', params: { user: 'U0BEN', text: 'hi' } }); // ask: no approver list
    const result = await ts.approvals.publish();
    expect(result.shown).toEqual([approval.id]);
    // team:leads is ana, dev and lee: dev proposed it, lee has no Slack account.
    expect(mock.callsOf('conversations.open').map((c) => c.args.users)).toEqual(['U0ANA']);
    expect(mock.callsOf('chat.postMessage').map((c) => c.args.channel)).toEqual(['D0ANA']);
    await ts.approvals.decide(approval.id, { decision: 'decline', by: 'ana' });
    await ts.approvals.publish();
    expect(mock.callsOf('chat.update').map((c) => c.args.channel)).toEqual(['D0ANA']); // the DM the post landed in
  });

  it('marks the message expired when nobody decided in time', async () => {
    const ts = await setup();
    const approval = await ts.actions.propose(post);
    await ts.approvals.publish();
    now = T0 + 5 * 3_600_000;
    expect((await ts.approvals.publish()).updated).toEqual([approval.id]);
    const blocks = blocksOf(mock.callsOf('chat.update')[0]!);
    expect(blocks[0]!.text!.text).toBe('Expired: slack.message.post');
    expect(textOf(blocks)).toContain(':zzz: Expired');
  });

  it('backs off for as long as Slack says after a rate limit, and updates the message later', async () => {
    const ts = await setup();
    const approval = await ts.actions.propose(post);
    await ts.approvals.publish();
    await ts.approvals.decide(approval.id, { decision: 'decline', by: 'ana' });
    mock.on('chat.update', (call, index) =>
      index === 0 ? rateLimited(30) : Response.json({ ok: true, channel: call.args.channel, ts: call.args.ts }),
    );
    expect(await ts.approvals.publish()).toEqual({ shown: [], updated: [], failed: [approval.id] });
    now = T0 + 29_000;
    expect(await ts.approvals.publish()).toEqual({ shown: [], updated: [], failed: [] });
    expect(mock.callsOf('chat.update')).toHaveLength(1);
    now = T0 + 31_000;
    expect((await ts.approvals.publish()).updated).toEqual([approval.id]);
  });

  it('has no buttons without a signing secret (clicks could not reach teamstate), and says how to decide instead', async () => {
    const ts = await setup({ approvalChannel: 'C0APPROVALS' });
    const approval = await ts.actions.propose(post);
    await ts.approvals.publish();
    const blocks = blocksOf(mock.callsOf('chat.postMessage')[0]!);
    expect(blocks.find((b) => b.type === 'actions')).toBeUndefined();
    expect(textOf(blocks)).toContain(`in your own terminal with your token: \`teamstate approvals approve ${approval.id}\``);
  });
});

describe('approvalMessage', () => {
  const pending: Approval = {
    id: 'apr_1',
    type: 'github.pr.merge',
    target: 'acme/api#42 <!channel>',
    params: { repository: 'acme/api', number: 42, title: 'Fix ```code``` & <@U0EVIL>' },
    reason: 'CI is green <!here|here> & reviewed',
    requestedBy: 'assistant',
    status: 'pending',
    mode: 'require_approval',
    risk: 'medium',
    policyHash: 'a'.repeat(64),
    approvers: [],
    idempotencyKey: '00000000-0000-4000-8000-000000000000',
    createdAt: '2026-03-02T09:00:00.000Z',
    expiresAt: '2026-03-03T09:00:00.000Z',
  };

  it('shows what came from outside only as plain text or inside the code block, so it cannot mention @channel, link, fake formatting or end the block', () => {
    const { text, blocks } = approvalMessage(
      { ...pending, reason: 'CI is green <!here|here> & reviewed\n*Parameters* `{"number": 1}`', escalation: '*urgent* <!channel>' },
      { slackUsers: new Map(), modifiable: false, interactive: true },
    );
    // Every mrkdwn text in the message is ours: labels, mentions we resolved, dates, the code block.
    const mrkdwn: string[] = [];
    const plainTexts: string[] = [];
    const walk = (value: unknown): void => {
      if (Array.isArray(value)) {
        value.forEach(walk);
        return;
      }
      if (typeof value !== 'object' || value === null) return;
      const object = value as Record<string, unknown>;
      if (object.type === 'mrkdwn' && typeof object.text === 'string') mrkdwn.push(object.text);
      if (object.type === 'plain_text' && typeof object.text === 'string') plainTexts.push(object.text);
      Object.values(object).forEach(walk);
    };
    walk(blocks);
    const outsideMrkdwn = mrkdwn.filter((t) => !t.startsWith('*Parameters*\n```'));
    for (const t of outsideMrkdwn) expect(t).not.toMatch(/acme\/api#42|CI is green|urgent|<!channel>|<!here|<@U0EVIL>/);
    expect(plainTexts).toContain('github.pr.merge on acme/api#42 <!channel>');
    expect(plainTexts).toContain('CI is green <!here|here> & reviewed\n*Parameters* `{"number": 1}`');
    expect(plainTexts).toContain('Asked because *urgent* <!channel>');
    const shown = JSON.stringify(blocks);
    expect(shown).not.toContain('Fix ```code```');
    expect(text).toBe('Approval needed: github.pr.merge on acme/api#42 &lt;!channel&gt; (medium risk), proposed by assistant');
  });

  it('offers changes only where they can be checked, asks for confirmation only for high risk, and explains an escalation', () => {
    const plain = approvalMessage(
      { ...pending, escalation: 'channel C0GENERAL has 240 members' },
      { slackUsers: new Map(), modifiable: false, interactive: true },
    );
    const buttons = plain.blocks.find((b) => b.type === 'actions')!.elements as Record<string, unknown>[];
    expect(buttons.map((b) => b.action_id)).toEqual(['teamstate.approve', 'teamstate.decline']);
    expect(buttons[0]!.confirm).toBeUndefined();
    expect(JSON.stringify(plain.blocks)).toContain('Asked because channel C0GENERAL has 240 members');
    expect(JSON.stringify(plain.blocks)).toContain('anyone but the requester');
  });

  it('shows who decided and how it ended', () => {
    const users = new Map([['ana', 'U0ANA']]);
    const failed = approvalMessage(
      {
        ...pending,
        status: 'failed',
        decision: 'modify',
        decidedBy: 'ana',
        decidedAt: '2026-03-02T09:10:00.000Z',
        error: { code: 'stale', message: 'head moved' },
      },
      { slackUsers: users, modifiable: true, interactive: true },
    );
    expect(JSON.stringify(failed.blocks)).toContain('Approved with changes by <@U0ANA>, but it did not run (stale)');
    expect(JSON.stringify(failed.blocks)).toContain('"type":"plain_text","text":"head moved"');
    expect(failed.blocks.find((b) => b.type === 'actions')).toBeUndefined();
    const declined = approvalMessage(
      { ...pending, status: 'declined', decidedBy: 'ben', decisionReason: 'not now' },
      { slackUsers: users, modifiable: true, interactive: true },
    );
    expect(JSON.stringify(declined.blocks)).toContain(':x: Declined by *ben*');
    expect(JSON.stringify(declined.blocks)).toContain('"type":"plain_text","text":"Reason: not now"');
  });
});
