import { FEEDBACK_CALLBACK_ID, FEEDBACK_OPEN_ACTION, SURVEY_ACTIONS, sendSlackSurveys, slack } from '@teamstate/connectors/slack';
import { createTeamState, FEEDBACK_CATEGORIES, type TeamState } from '@teamstate/core';
import { describe, expect, it } from 'vitest';
import { clickPayload, feedbackSubmissionPayload, SIGNING_SECRET, signedInteraction } from './helpers/slack-interaction.js';
import { RESPONSE_URL_PREFIX, SLACK_API, useSlackMock } from './helpers/slack-mock.js';

// "Report an AI issue" on the AI-impact survey messages (issue 21, docs/ai-feedback.md): a button on the author's and
// the reviewers' DMs opens a modal; its submission records feedback as the verified Slack user's person, with the
// repository and number of the stored pull request. msw stands in for Slack.
const mock = useSlackMock();
const now = new Date('2026-03-10T10:00:00Z');
const PATH = 'slack/interactivity';
const PR = 'gh-pr-acme/api#7';

const bundle = {
  format: 'teamstate.bundle/v1',
  teams: [{ id: 'pay', name: 'Payments' }],
  people: [
    { id: 'ana', name: 'Ana', teams: ['pay'], accounts: [{ provider: 'slack', id: 'U0ANA' }] },
    { id: 'ben', name: 'Ben', teams: ['pay'], accounts: [{ provider: 'slack', id: 'U0BEN' }] },
  ],
  repositories: [{ id: 'acme/api', team: 'pay' }],
  workItems: [
    {
      id: PR,
      source: 'github',
      kind: 'pull_request',
      key: 'acme/api#7',
      title: 'Retry refunds <!channel> *now*',
      state: 'merged',
      team: 'pay',
      repository: 'acme/api',
      author: 'ana',
      createdAt: '2026-03-08T09:00:00Z',
      mergedAt: '2026-03-09T16:00:00Z',
      url: 'https://github.com/acme/api/pull/7',
      reviews: [{ reviewer: 'ben', state: 'approved', submittedAt: '2026-03-09T15:00:00Z' }],
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
/** A click on "Report an AI issue" in a survey DM. */
function openClick(user: string, pr = PR) {
  sequence++;
  const payload = clickPayload('', user, FEEDBACK_OPEN_ACTION, `D${user.slice(1)}`) as {
    trigger_id: string;
    actions: Record<string, unknown>[];
  };
  return {
    ...payload,
    response_url: `${RESPONSE_URL_PREFIX}T0ACME/${sequence}/feedback`,
    actions: [{ ...payload.actions[0], value: JSON.stringify({ pr }), block_id: 'feedback' }],
  };
}

async function send(ts: TeamState, payload: unknown) {
  const response = await ts.webhooks.receive(PATH, signedInteraction(payload, now));
  await response.done;
  return response;
}

type Block = { type: string; block_id?: string; elements?: Record<string, unknown>[]; element?: Record<string, unknown> };

describe('"Report an AI issue" in Slack', () => {
  it('is a button on both survey messages (author and reviewer), and stays once the survey is answered', async () => {
    const ts = await setup();
    await sendSlackSurveys(ts);
    const sent = mock.callsOf('chat.postMessage').map((c) => c.args.blocks as Block[]);
    expect(sent).toHaveLength(2);
    for (const blocks of sent) {
      const button = blocks.find((b) => b.block_id === 'feedback')?.elements?.[0];
      expect(button).toMatchObject({
        type: 'button',
        action_id: FEEDBACK_OPEN_ACTION,
        value: JSON.stringify({ pr: PR }),
        text: { type: 'plain_text', text: 'Report an AI issue' },
      });
    }
    const answer = clickPayload('', 'U0ANA', `${SURVEY_ACTIONS.assisted}.mostly`, 'D0ANA') as { actions: Record<string, unknown>[] };
    await send(ts, {
      ...answer,
      response_url: `${RESPONSE_URL_PREFIX}T0ACME/answer/survey`,
      actions: [{ ...answer.actions[0], value: JSON.stringify({ pr: PR }) }],
    });
    const replaced = mock.responses[0] as { replace_original: boolean; blocks: Block[] };
    expect(replaced.replace_original).toBe(true);
    expect(replaced.blocks.find((b) => b.block_id === 'feedback')?.elements?.[0]).toMatchObject({ action_id: FEEDBACK_OPEN_ACTION });
  });

  it("opens the modal with views.open and the click's trigger_id: the 8 categories, plain text inputs, the PR in private_metadata", async () => {
    const ts = await setup();
    const click = openClick('U0BEN');
    const response = await send(ts, click);
    expect(response).toMatchObject({ status: 200, answer: null });
    const [opened] = mock.callsOf('views.open');
    expect(opened!.args.trigger_id).toBe(click.trigger_id);
    const view = opened!.args.view as { callback_id: string; private_metadata: string; blocks: Block[] };
    expect(view.callback_id).toBe(FEEDBACK_CALLBACK_ID);
    expect(JSON.parse(view.private_metadata)).toEqual({ pr: PR });
    const element = (id: string) => view.blocks.find((b) => b.block_id === id)?.element as Record<string, unknown>;
    expect(element('category')).toMatchObject({ type: 'static_select', action_id: 'category' });
    expect((element('category').options as { value: string }[]).map((o) => o.value)).toEqual([...FEEDBACK_CATEGORIES]);
    expect(element('text')).toMatchObject({ type: 'plain_text_input', action_id: 'text', multiline: true });
    expect(element('tool')).toMatchObject({ type: 'static_select', action_id: 'tool' });
    expect(element('paths')).toMatchObject({ type: 'plain_text_input', action_id: 'paths' });
    expect(view.blocks.filter((b) => b.type === 'input' && (b as { optional?: boolean }).optional).map((b) => b.block_id)).toEqual([
      'tool',
      'paths',
    ]);
    // The PR title is outside text: plain text only, never mrkdwn.
    expect(JSON.stringify(view)).toContain('"type":"plain_text","text":"acme/api#7: Retry refunds <!channel> *now*"');
    expect(JSON.stringify(view)).not.toContain('"mrkdwn"');
  });

  it("stores the submission after the answer as the verified user's person, with the stored PR's repository and number", async () => {
    const ts = await setup();
    const text = 'Forgot our refund fixtures <!channel> *again*';
    const response = await ts.webhooks.receive(
      PATH,
      signedInteraction(
        feedbackSubmissionPayload('U0BEN', PR, {
          category: 'missing_tests',
          text,
          tool: 'claude-code',
          paths: ' services/payments/refund.ts, services/payments/ ',
        }),
        now,
      ),
    );
    expect(response).toMatchObject({ status: 200, answer: null });
    await response.done;
    expect((await ts.export()).aiFeedback).toEqual([
      expect.objectContaining({
        person: 'ben',
        category: 'missing_tests',
        text,
        tool: 'claude-code',
        repository: 'acme/api',
        pullRequest: 7,
        paths: ['services/payments/refund.ts', 'services/payments'],
      }),
    ]);
    // Nothing was echoed back to Slack with the person's words.
    expect(mock.callsOf('chat.postMessage')).toEqual([]);
  });

  it('answers bad input with response_action errors naming the field, and writes nothing', async () => {
    const ts = await setup();
    const cases: [Parameters<typeof feedbackSubmissionPayload>[2], string][] = [
      [{ category: 'missing_tests', text: '   ' }, 'text'],
      [{ category: 'made_up', text: 'Wrong' }, 'category'],
      [{ category: null, text: 'Wrong' }, 'category'],
      [{ category: 'style', text: 'Wrong', paths: 'src/a.ts, ../secrets.txt' }, 'paths'],
      [{ category: 'style', text: 'Wrong', paths: '/etc/passwd' }, 'paths'],
      [{ category: 'style', text: 'Wrong', tool: 'skynet' }, 'tool'],
    ];
    for (const [form, field] of cases) {
      const response = await send(ts, feedbackSubmissionPayload('U0ANA', PR, form));
      expect(response.status).toBe(200);
      const answer = response.answer as { response_action: string; errors: Record<string, string> };
      expect(answer.response_action).toBe('errors');
      expect(Object.keys(answer.errors)).toEqual([field]);
    }
    // The path error names the path that leaves the repository.
    const outside = await send(ts, feedbackSubmissionPayload('U0ANA', PR, cases[3]![0]));
    expect((outside.answer as { errors: Record<string, string> }).errors.paths).toContain('../secrets.txt');
    expect((await ts.export()).aiFeedback).toEqual([]);
  });

  it('refuses an unsigned click or submission with 401 and records nothing', async () => {
    const ts = await setup();
    const click = await ts.webhooks.receive(PATH, signedInteraction(openClick('U0ANA'), now, 'not-the-secret'));
    expect(click.status).toBe(401);
    const submission = feedbackSubmissionPayload('U0ANA', PR, { category: 'style', text: 'Wrong indentation' });
    const response = await ts.webhooks.receive(PATH, signedInteraction(submission, now, 'not-the-secret'));
    expect(response.status).toBe(401);
    await response.done;
    expect(mock.callsOf('views.open')).toEqual([]);
    expect((await ts.export()).aiFeedback).toEqual([]);
  });

  it('explains to an unlinked Slack user instead of opening the modal, and refuses their submission', async () => {
    const ts = await setup();
    await send(ts, openClick('U0NOBODY'));
    expect(mock.callsOf('views.open')).toEqual([]);
    expect(mock.responses.map((r) => r.text)).toEqual([expect.stringContaining('is not linked to a person in teamstate')]);
    const response = await send(ts, feedbackSubmissionPayload('U0NOBODY', PR, { category: 'style', text: 'Wrong indentation' }));
    expect(response.answer).toMatchObject({
      response_action: 'errors',
      errors: { text: expect.stringContaining('not linked to a person in teamstate') },
    });
    expect((await ts.export()).aiFeedback).toEqual([]);
  });

  it('tells the person privately when the pull request is gone, and records nothing', async () => {
    const ts = await setup();
    await send(ts, openClick('U0ANA', 'gh-pr-acme/api#404'));
    expect(mock.callsOf('views.open')).toEqual([]);
    expect(mock.responses.map((r) => r.text)).toEqual([expect.stringContaining('no longer has this pull request')]);
    await send(ts, feedbackSubmissionPayload('U0ANA', 'gh-pr-acme/api#404', { category: 'style', text: 'Wrong indentation' }));
    expect(mock.callsOf('chat.postMessage').map((c) => c.args.text)).toEqual([expect.stringContaining('was not recorded')]);
    expect((await ts.export()).aiFeedback).toEqual([]);
  });
});
