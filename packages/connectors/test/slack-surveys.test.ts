import { SURVEY_ACTIONS, sendSlackSurveys, slack } from '@teamstate/connectors/slack';
import { createTeamState, type TeamState } from '@teamstate/core';
import { describe, expect, it } from 'vitest';
import { SIGNING_SECRET, signedInteraction } from './helpers/slack-interaction.js';
import { fixture, RESPONSE_URL_PREFIX, SLACK_API, useSlackMock } from './helpers/slack-mock.js';

// Pull request surveys in Slack (issue 20): DMs through the policy, answers at the signed interactivity endpoint,
// messages replaced in place, the reveal once both sides answered; msw stands in for Slack.
const mock = useSlackMock();
let now = new Date('2026-03-10T10:00:00Z');
const PATH = 'slack/interactivity';

const bundle = {
  format: 'teamstate.bundle/v1',
  teams: [{ id: 'pay', name: 'Payments' }],
  people: [
    { id: 'ana', name: 'Ana', teams: ['pay'], accounts: [{ provider: 'slack', id: 'U0ANA' }] },
    { id: 'ben', name: 'Ben', teams: ['pay'], accounts: [{ provider: 'slack', id: 'U0BEN' }] },
    { id: 'lee', name: 'Lee', teams: ['pay'] },
  ],
  repositories: [{ id: 'acme/api', team: 'pay' }],
  workItems: [
    {
      id: 'gh-pr-acme/api#7',
      source: 'github',
      kind: 'pull_request',
      key: 'acme/api#7',
      // Outside text: must reach Slack as plain text, never as a mention or a link.
      title: 'Retry refunds <!channel> *now*',
      state: 'merged',
      team: 'pay',
      repository: 'acme/api',
      author: 'ana',
      createdAt: '2026-03-08T09:00:00Z',
      mergedAt: '2026-03-09T16:00:00Z',
      url: 'https://github.com/acme/api/pull/7',
      reviews: [
        { reviewer: 'ben', state: 'approved', submittedAt: '2026-03-09T15:00:00Z' },
        { reviewer: 'lee', state: 'approved', submittedAt: '2026-03-09T15:10:00Z' },
      ],
    },
  ],
};

async function setup(): Promise<TeamState> {
  const ts = await createTeamState({
    database: ':memory:',
    connectors: [slack({ token: 'xoxb-test-token', signingSecret: SIGNING_SECRET, apiUrl: SLACK_API, approvalRequests: false })],
    policy: { actions: { 'slack.survey.send': { risk: 'low', mode: 'auto' } } } as never,
    surveys: { enabled: true, teams: ['pay'], expireAfter: '3d' },
    clock: () => now,
  });
  mock.keep(ts);
  await ts.import(bundle);
  return ts;
}

let sequence = 0;
/** A click on a survey button, as Slack sends it from the DM (with the message's ticked state). */
function surveyClick(user: string, actionId: string, state: Record<string, unknown> = {}) {
  const payload = fixture<Record<string, unknown> & { actions: Record<string, unknown>[]; user: Record<string, unknown> }>(
    'interaction.block_actions',
  );
  sequence++;
  return {
    ...payload,
    user: { ...payload.user, id: user },
    container: { ...(payload.container as object), channel_id: `D${user.slice(1)}` },
    channel: { id: `D${user.slice(1)}`, name: 'directmessage' },
    response_url: `${RESPONSE_URL_PREFIX}T0ACME/${sequence}/survey`,
    trigger_id: `1773136800.3810.trigger${sequence}`,
    state: { values: state },
    actions: [
      {
        ...payload.actions[0],
        action_id: actionId,
        value: JSON.stringify({ pr: 'gh-pr-acme/api#7' }),
        block_id: 'assisted',
        action_ts: `1773136800.${sequence}`,
      },
    ],
  };
}

async function click(ts: TeamState, payload: unknown) {
  const response = await ts.webhooks.receive(PATH, signedInteraction(payload, now));
  await response.done;
  return response;
}

const posts = () => mock.callsOf('chat.postMessage').map((c) => ({ channel: c.args.channel, text: c.args.text, blocks: c.args.blocks }));

describe('pull request surveys in Slack', () => {
  it('DMs the author and the reviewers with a Slack account once, records the answers, replaces the messages and reveals', async () => {
    const ts = await setup();
    expect(await sendSlackSurveys(ts)).toEqual({ surveys: 2, reveals: 0, skipped: ['lee'] });
    // A second round (a redelivered webhook, a repeated sync) sends nothing more.
    expect(await sendSlackSurveys(ts)).toEqual({ surveys: 0, reveals: 0, skipped: ['lee'] });
    const sent = posts();
    expect(sent.map((p) => [p.channel, p.text])).toEqual([
      ['D0ANA', 'Was your merged pull request acme/api#7 AI-assisted?'],
      ['D0BEN', 'How was the code of acme/api#7, which you reviewed?'],
    ]);
    const authorBlocks = JSON.stringify(sent[0]!.blocks);
    expect(authorBlocks).toContain('{"type":"plain_text","text":"acme/api#7: Retry refunds <!channel> *now*","emoji":false}');
    expect(authorBlocks).not.toMatch(/"type":"mrkdwn","text":"[^"]*<!channel>/);
    for (const level of ['none', 'partly', 'mostly', 'agent']) expect(authorBlocks).toContain(`"${SURVEY_ACTIONS.assisted}.${level}"`);
    expect(JSON.stringify(sent[1]!.blocks)).toContain(`"${SURVEY_ACTIONS.guess}.yes"`);

    // Ticking a tool only changes the message's state; the answer button records it.
    await click(ts, surveyClick('U0ANA', SURVEY_ACTIONS.tools));
    expect(mock.responses).toEqual([]);
    const tools = {
      tools: { [SURVEY_ACTIONS.tools]: { type: 'checkboxes', selected_options: [{ value: 'Claude Code' }, { value: 'Not a tool' }] } },
    };
    await click(ts, surveyClick('U0ANA', `${SURVEY_ACTIONS.assisted}.mostly`, tools));
    const rating = { quality: { [SURVEY_ACTIONS.quality]: { type: 'radio_buttons', selected_option: { value: '4' } } } };
    await click(ts, surveyClick('U0BEN', `${SURVEY_ACTIONS.guess}.yes`, rating));
    expect(mock.responses.map((r) => [r.replace_original, r.text])).toEqual([
      [true, 'Thanks! Recorded: mostly AI-assisted (Claude Code).'],
      [true, "Thanks! Recorded: quality 4/5, you think AI helped. You will get the author's answer once they have given it."],
    ]);
    expect((await ts.export()).surveyResponses.map((r) => [r.person, r.assisted ?? r.quality, r.tools ?? r.guess])).toEqual([
      ['ana', 'mostly', ['Claude Code']],
      ['ben', 4, true],
    ]);

    expect(await sendSlackSurveys(ts)).toMatchObject({ surveys: 0, reveals: 1 });
    expect(posts().at(-1)).toMatchObject({
      channel: 'D0BEN',
      text: 'acme/api#7: Your guess was right. The author said: Mostly (Claude Code).',
    });
    expect(await sendSlackSurveys(ts)).toMatchObject({ reveals: 0 });
  });

  it('counts nothing twice: a replayed request is dropped, a second answer keeps the first', async () => {
    const ts = await setup();
    await sendSlackSurveys(ts);
    const answer = surveyClick('U0ANA', `${SURVEY_ACTIONS.assisted}.none`);
    await click(ts, answer);
    await click(ts, answer);
    await click(ts, surveyClick('U0ANA', `${SURVEY_ACTIONS.assisted}.agent`));
    expect(mock.responses.map((r) => r.text)).toEqual([
      'Thanks! Recorded: no AI.',
      'You already answered this one: your first answer counts.',
    ]);
    expect((await ts.export()).surveyResponses.map((r) => r.assisted)).toEqual(['none']);
  });

  it('refuses politely: a click by someone the survey was not sent to, a late click, and a Slack user linked to nobody', async () => {
    const ts = await setup();
    await sendSlackSurveys(ts);
    await click(ts, surveyClick('U0BEN', `${SURVEY_ACTIONS.assisted}.mostly`));
    await click(ts, surveyClick('U0NOBODY', `${SURVEY_ACTIONS.guess}.no`));
    now = new Date('2026-03-13T10:00:01Z');
    await click(ts, surveyClick('U0ANA', `${SURVEY_ACTIONS.assisted}.partly`));
    now = new Date('2026-03-10T10:00:00Z');
    expect(mock.responses.map((r) => [r.replace_original, r.text])).toEqual([
      [false, 'This survey was sent to someone else, so your click did not count.'],
      [false, 'Your Slack account (<@U0NOBODY>) is not linked to a person in teamstate, so your answer was not recorded.'],
      [true, 'Thank you, but this survey has closed: the survey about gh-pr-acme/api#7 closed on 2026-03-13T10:00:00.000Z.'],
    ]);
    expect((await ts.export()).surveyResponses).toEqual([]);
  });

  it('refuses an unsigned click with 401 and records nothing', async () => {
    const ts = await setup();
    await sendSlackSurveys(ts);
    const request = signedInteraction(surveyClick('U0ANA', `${SURVEY_ACTIONS.assisted}.mostly`), now, 'not-the-secret');
    const response = await ts.webhooks.receive(PATH, request);
    expect(response.status).toBe(401);
    expect((await ts.export()).surveyResponses).toEqual([]);
  });
});
