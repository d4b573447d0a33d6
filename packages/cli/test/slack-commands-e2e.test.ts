import { demo, demoHandbook } from '@teamstate/connectors/demo';
import { REPORT_CALLBACK_ID, slack } from '@teamstate/connectors/slack';
import { createTeamState, type TeamState } from '@teamstate/core';
import { builtinSignals, prReviewQueue, sprintHealth, standupDigest } from '@teamstate/metrics';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { SIGNING_SECRET, signedCommand } from '../../connectors/test/helpers/slack-interaction.js';
import { createSlackMock, SLACK_API } from '../../connectors/test/helpers/slack-mock.js';
import { slackCommandAnswers } from '../src/slack-command-answers.js';
import { listenInProcess } from './listen-in-process.js';
import { until } from './until.js';

// /teamstate through the HTTP handler `teamstate serve` mounts, answered by the digests' own renderers on the demo
// workspace (issue 22), with Slack's Web API and response_url mocked by msw.
const mock = createSlackMock();
const NOW = new Date('2026-11-23T09:30:00Z'); // a Monday

let ts: TeamState;
let base: string;
let closeServer: () => Promise<void>;

beforeAll(async () => {
  mock.listen();
  ts = await createTeamState({
    database: ':memory:',
    connectors: [
      demo(),
      slack({
        token: 'xoxb-test-token',
        signingSecret: SIGNING_SECRET,
        apiUrl: SLACK_API,
        approvalRequests: false,
        commands: slackCommandAnswers(() => ts),
      }),
    ],
    signals: builtinSignals,
    knowledge: { sources: [demoHandbook()] },
    policy: { actions: { 'slack.message.post': { mode: 'auto' } } },
    clock: () => NOW,
  });
  await ts.sync({ only: ['demo'] });
  await ts.knowledge.sync();
  // Ana's Slack account, as a Slack sync would have linked it.
  await ts.store.execute(
    "INSERT INTO accounts (workspace, provider, external_id, login, person_id) VALUES ('default', 'slack', 'U0ANA', 'ana.garcia', 'ana-garcia')",
  );
  ({ base, close: closeServer } = await listenInProcess(ts));
});
afterEach(() => mock.reset());
afterAll(async () => {
  await closeServer();
  await ts.close();
  mock.server.close();
});

function post(request: { headers: Record<string, string | undefined>; rawBody: Buffer }) {
  return fetch(`${base}/webhooks/slack/commands`, {
    method: 'POST',
    headers: request.headers as Record<string, string>,
    body: request.rawBody,
  });
}

type Blocks = { type: string; text?: { type: string; text: string } }[];
const shown = (blocks: Blocks) =>
  blocks
    .filter((b) => b.type === 'section')
    .map((b) => b.text!.text)
    .join('\n\n');
const body = (digestText: string) =>
  digestText
    .split('\n')
    .slice(1)
    .join('\n')
    .split(/\n\s*\n/)
    .map((p) => p.replace(/^\n+|\s+$/g, ''))
    .filter(Boolean)
    .join('\n\n');

describe('/teamstate over HTTP (teamstate serve)', () => {
  it('acknowledges a signed standup before the answer is posted (the post is held until after the ack), with the digest as Block Kit', async () => {
    // Every answer through response_url is held until released, which happens only after the ack is in hand: had
    // the ack waited for the answer, it would never come.
    const release = mock.holdResponses();
    const ack = await post(signedCommand({ text: 'standup payments', user_id: 'U0ANA' }, NOW));
    expect(ack.status).toBe(200);
    expect(await ack.text()).toBe('');
    expect(mock.responses).toEqual([]);
    release();
    const answer = await until('the answer', () => mock.responses[0]);
    const digest = await standupDigest(ts, { team: 'payments' });
    expect(answer).toMatchObject({ response_type: 'ephemeral', text: digest.text.split('\n')[0] });
    const blocks = answer.blocks as Blocks;
    expect(blocks[0]).toEqual({
      type: 'header',
      text: { type: 'plain_text', text: 'Standup for Payments, since Fri 20 Nov 09:30 UTC', emoji: false },
    });
    expect(shown(blocks)).toBe(body(digest.text));
    expect(blocks.every((b) => b.text === undefined || b.text.type === 'plain_text')).toBe(true);
    // Each person's latest daily report, and the blockers they wrote, next to their activity.
    const ana = blocks.find((b) => b.text?.text.startsWith('Ana Garcia\n'))!.text!.text;
    expect(ana).toMatch(/^Ana Garcia\n {2}report {4}Fri 20 Nov\n {12}\S/);
    expect(ana).toMatch(/^ {2}blockers {2}\S/m);
  });

  it("answers sprint and triage for the asking person's own team when none is named", async () => {
    expect((await post(signedCommand({ text: 'sprint', user_id: 'U0ANA' }, NOW))).status).toBe(200);
    const sprint = await until('the sprint answer', () => mock.responses[0]);
    expect(sprint.text).toBe((await sprintHealth(ts, { team: 'payments' })).text.split('\n')[0]);
    expect((await post(signedCommand({ text: 'triage platform', user_id: 'U0ANA' }, NOW))).status).toBe(200);
    const triage = await until('the triage answer', () => mock.responses[1]);
    const queue = await prReviewQueue(ts, { team: 'platform' });
    expect(triage.text).toBe('Review queue for Platform: 5 pull requests waiting for review');
    expect(shown(triage.blocks as Blocks)).toBe(body(queue.text));
  });

  it('refuses an unsigned command with 401 and answers nothing', async () => {
    const request = signedCommand({ text: 'standup payments', user_id: 'U0ANA' }, NOW);
    delete request.headers['x-slack-signature'];
    expect((await post(request)).status).toBe(401);
    expect((await post(signedCommand({ text: 'standup payments' }, NOW, 'wrong-secret'))).status).toBe(401);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(mock.responses).toEqual([]);
  });

  it('names an unknown team, and tells an unlinked Slack user why nothing happens', async () => {
    await post(signedCommand({ text: 'standup payment', user_id: 'U0ANA' }, NOW));
    const refused = await until('the refusal', () => mock.responses[0]);
    expect(refused.text).toMatch(/^:no_entry_sign: team: "payment" is not a team of this workspace \(teams: .*payments/);
    const unlinked = await post(signedCommand({ text: 'standup payments', user_id: 'U0STRANGER' }, NOW));
    expect(await unlinked.json()).toMatchObject({ response_type: 'ephemeral', text: expect.stringContaining('is not linked to a person') });
  });

  it('report opens the modal prefilled with the draft; --public posts through the policy', async () => {
    await post(signedCommand({ text: 'report', user_id: 'U0ANA' }, NOW));
    const opened = await until('views.open', () => mock.callsOf('views.open')[0]);
    const view = opened.args.view as { callback_id: string; blocks: { block_id?: string; element?: { initial_value?: string } }[] };
    expect(view.callback_id).toBe(REPORT_CALLBACK_ID);
    expect(view.blocks.find((b) => b.block_id === 'report')!.element!.initial_value).toBe(
      (await ts.reports.draft('ana-garcia', '2026-11-23')).text.slice(0, 3000),
    );
    await post(signedCommand({ text: 'standup --public', user_id: 'U0ANA', channel_id: 'C0PAYMENTS' }, NOW));
    const posted = await until('the public post', () => mock.callsOf('chat.postMessage')[0]);
    expect(posted.args).toMatchObject({ channel: 'C0PAYMENTS', text: 'Standup for Payments, since Fri 20 Nov 09:30 UTC' });
    expect(await until('the confirmation', () => mock.responses[0])).toEqual({
      response_type: 'ephemeral',
      text: ':white_check_mark: Posted in this channel.',
    });
  });

  it('ask answers from the team documents with citations', async () => {
    await post(signedCommand({ text: 'ask how do I roll back a production deploy?', user_id: 'U0ANA' }, NOW));
    const answer = (await until('the answer', () => mock.responses[0])) as { response_type: string; text: string; blocks: unknown[] };
    expect(answer.response_type).toBe('ephemeral');
    expect(answer.text).toBe('What the documents say about "how do I roll back a production deploy?"');
    expect(JSON.stringify(answer.blocks)).toContain('Rolling back a production deploy');
    expect(JSON.stringify(answer.blocks)).toContain('Source: ');
  });
});
