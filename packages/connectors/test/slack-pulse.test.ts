import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PULSE_CALLBACK_ID, PULSE_OPEN_ACTION, sendSlackPulse, slack } from '@teamstate/connectors/slack';
import { createTeamState, type PulseFigures, type TeamState } from '@teamstate/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { clickPayload, SIGNING_SECRET, signedInteraction } from './helpers/slack-interaction.js';
import { SLACK_API, useSlackMock } from './helpers/slack-mock.js';

// Pulse surveys in Slack: a round's DMs go once per person (through slack.survey.send and the policy), on the schedule
// or now; the button opens the modal; its signed submission stores the verified user's answer. msw stands in for Slack.
const mock = useSlackMock();
const PATH = 'slack/interactivity';
let folder: string;
let now: Date;
beforeEach(() => {
  folder = mkdtempSync(join(tmpdir(), 'teamstate-pulse-'));
  now = new Date('2026-11-23T10:30:00Z'); // a Monday
});
afterEach(() => rmSync(folder, { recursive: true, force: true }));

async function setup(): Promise<TeamState> {
  const ts = mock.keep(
    await createTeamState({
      database: join(folder, 'teamstate.db'),
      connectors: [slack({ token: 'xoxb-test-token', signingSecret: SIGNING_SECRET, apiUrl: SLACK_API, approvalRequests: false })],
      policy: { actions: { 'slack.survey.send': { mode: 'auto', risk: 'low' } } },
      pulse: { every: '2w', day: 'monday', time: '10:00' },
      clock: () => now,
    }),
  );
  await ts.import({
    format: 'teamstate.bundle/v1',
    teams: [{ id: 'payments', name: 'Payments', leads: ['lee'] }],
    people: [
      { id: 'ana', name: 'Ana', teams: ['payments'], accounts: [{ provider: 'slack', id: 'U0ANA' }] },
      { id: 'ben', name: 'Ben', teams: ['payments'], accounts: [{ provider: 'slack', id: 'U0BEN' }] },
      { id: 'kim', name: 'Kim', teams: ['payments'] },
      { id: 'lee', name: 'Lee' },
    ],
  });
  return ts;
}

/** A submitted pulse modal: every question scored `score`, a comment, and the share box ticked or not. */
function submission(user: string, round: string, score: number, comment: string, share: boolean, questions: string[]) {
  const values: Record<string, Record<string, unknown>> = Object.fromEntries(
    questions.map((q) => [`q.${q}`, { score: { type: 'static_select', selected_option: { value: String(score) } } }]),
  );
  values.comment = { text: { type: 'plain_text_input', value: comment } };
  values.share = { share: { type: 'checkboxes', selected_options: share ? [{ value: 'share' }] : [] } };
  return {
    type: 'view_submission',
    user: { id: user },
    view: { callback_id: PULSE_CALLBACK_ID, private_metadata: JSON.stringify({ round }), state: { values } },
  };
}

describe('pulse surveys in Slack', () => {
  it('sends a round on its schedule once per person, and nothing more on a second pass', async () => {
    const ts = await setup();
    now = new Date('2026-11-23T09:00:00Z'); // before the round's time
    expect(await sendSlackPulse(ts)).toEqual({ sent: 0, skipped: [] });
    now = new Date('2026-11-23T10:30:00Z');
    expect(await sendSlackPulse(ts)).toEqual({ round: '2026-11-23', sent: 2, skipped: ['kim'] });
    expect(await sendSlackPulse(ts)).toMatchObject({ round: '2026-11-23', sent: 0 });
    expect(
      mock
        .callsOf('conversations.open')
        .map((c) => c.args.users)
        .sort(),
    ).toEqual(['U0ANA', 'U0BEN']);
    // A week later nothing is due (every 2w); two weeks later the next round goes.
    now = new Date('2026-11-30T10:30:00Z');
    expect((await sendSlackPulse(ts)).sent).toBe(0);
    now = new Date('2026-12-07T10:30:00Z');
    expect(await sendSlackPulse(ts)).toMatchObject({ round: '2026-12-07', sent: 2 });
  });

  it('opens the modal from the button and stores the signed submission as the verified person, once per round', async () => {
    const ts = await setup();
    await sendSlackPulse(ts, { force: true });
    const click = await ts.webhooks.receive(PATH, signedInteraction(clickPayload('2026-11-23', 'U0ANA', PULSE_OPEN_ACTION, 'D0ANA'), now));
    await click.done;
    const view = mock.callsOf('views.open')[0]!.args.view as { callback_id: string; blocks: { block_id: string }[] };
    expect(view.callback_id).toBe(PULSE_CALLBACK_ID);
    const questions = ts.pulse.questions().map((q) => q.id);
    expect(view.blocks.map((b) => b.block_id)).toEqual([...questions.map((q) => `q.${q}`), 'comment', 'share']);
    const answer = await ts.webhooks.receive(
      PATH,
      signedInteraction(submission('U0ANA', '2026-11-23', 4, 'More focus time', true, questions), now),
    );
    expect(answer).toMatchObject({ status: 200, answer: null });
    await answer.done;
    const stored = await ts.store.execute('SELECT person_id, answers, comment, share_comment FROM pulse_answers');
    expect(stored.rows.map((r) => ({ ...r }))).toEqual([
      {
        person_id: 'ana',
        answers: JSON.stringify(Object.fromEntries(questions.map((q) => [q, 4]))),
        comment: 'More focus time',
        share_comment: 1,
      },
    ]);
    // An unanswered question is named in the modal; a forged signature is refused; neither stores anything.
    const partial = submission('U0BEN', '2026-11-23', 3, '', false, questions.slice(1));
    const refused = await ts.webhooks.receive(PATH, signedInteraction(partial, now));
    expect(refused.answer).toEqual({ response_action: 'errors', errors: { [`q.${questions[0]}`]: 'Choose 1 to 5.' } });
    const forged = await ts.webhooks.receive(
      PATH,
      signedInteraction(submission('U0BEN', '2026-11-23', 1, '', false, questions), now, 'nope'),
    );
    expect(forged.status).toBe(401);
    expect(Number((await ts.store.execute('SELECT count(*) AS n FROM pulse_answers')).rows[0]!.n)).toBe(1);
    // With one answer, the team is withheld.
    expect(await ts.pulse.results({ team: 'payments' })).toMatchObject({ withheld: true });
    expect((await ts.pulse.results({ team: 'payments' })) as PulseFigures).not.toHaveProperty('comments');
  });
});
