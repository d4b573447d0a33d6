import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPORT_CALLBACK_ID, REPORT_OPEN_ACTION, sendReportReminders, slack } from '@teamstate/connectors/slack';
import { createTeamState, type TeamState } from '@teamstate/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { clickPayload, reportSubmissionPayload, SIGNING_SECRET, signedInteraction } from './helpers/slack-interaction.js';
import { SLACK_API, useSlackMock } from './helpers/slack-mock.js';

// Daily reports in Slack (issue 18): the reminder DM (through slack.dm.send and the policy, at most once per person
// and local day), the modal it opens with the person's draft, and the modal's submission at the interactivity URL.
const mock = useSlackMock();
const PATH = 'slack/interactivity';

let folder: string;
let now: Date;

const remindAuto = {
  actions: { 'slack.dm.send': { mode: 'auto' } },
  reminders: { reports: { teams: ['payments'], at: '17:00' } },
};

async function open(policy: unknown = remindAuto): Promise<TeamState> {
  return mock.keep(
    await createTeamState({
      database: join(folder, 'teamstate.db'),
      connectors: [slack({ token: 'xoxb-test-token', signingSecret: SIGNING_SECRET, apiUrl: SLACK_API, approvalRequests: false })],
      policy: policy as never,
      clock: () => now,
    }),
  );
}

async function setup(policy?: unknown) {
  const ts = await open(policy);
  await ts.import({
    format: 'teamstate.bundle/v1',
    teams: [{ id: 'payments', name: 'Payments' }],
    repositories: [{ id: 'acme/ledger', team: 'payments' }],
    people: [
      { id: 'ana', name: 'Ana', teams: ['payments'], timeZone: 'Europe/Berlin', accounts: [{ provider: 'slack', id: 'U0ANA' }] },
      { id: 'ben', name: 'Ben', teams: ['payments'], accounts: [{ provider: 'slack', id: 'U0BEN' }] },
      { id: 'lee', name: 'Lee', teams: ['payments'] },
    ],
    workItems: [
      {
        id: 'acme/ledger#23',
        source: 'github',
        kind: 'pull_request',
        key: 'acme/ledger#23',
        title: 'Add *refund* flow <!channel>',
        repository: 'acme/ledger',
        author: 'ana',
        state: 'merged',
        createdAt: '2026-03-18T08:00:00Z',
        mergedAt: '2026-03-18T15:00:00Z',
        updatedAt: '2026-03-18T15:00:00Z',
      },
    ],
  });
  return ts;
}

beforeEach(() => {
  folder = mkdtempSync(join(tmpdir(), 'teamstate-slack-reports-'));
  now = new Date('2026-03-18T17:30:00Z'); // Wednesday: 18:30 in Berlin, 17:30 UTC
});
afterEach(() => rmSync(folder, { recursive: true, force: true }));

const dms = () => mock.callsOf('chat.postMessage').map((c) => ({ channel: c.args.channel, text: c.args.text }));

describe('daily report reminders', () => {
  it('DMs each opted-in member past the local time who has not reported, through slack.dm.send, with a button to the modal', async () => {
    const ts = await setup();
    const outcomes = await sendReportReminders(ts);
    expect(outcomes.map(({ person, day, outcome, status }) => ({ person, day, outcome, status }))).toEqual([
      { person: 'ana', day: '2026-03-18', outcome: 'sent', status: 'executed' },
      { person: 'ben', day: '2026-03-18', outcome: 'sent', status: 'executed' },
      { person: 'lee', day: '2026-03-18', outcome: 'no_slack_account', status: undefined },
    ]);
    expect(mock.callsOf('conversations.open').map((c) => c.args.users)).toEqual(['U0ANA', 'U0BEN']);
    expect(dms()).toHaveLength(2);
    expect(dms()[0]!.text).toBe('Your daily report for Wed 18 Mar is not in yet.');
    const blocks = mock.callsOf('chat.postMessage')[0]!.args.blocks as { type: string; elements?: Record<string, unknown>[] }[];
    expect(blocks.find((b) => b.type === 'actions')!.elements).toEqual([
      expect.objectContaining({ type: 'button', action_id: REPORT_OPEN_ACTION, value: '2026-03-18' }),
    ]);
    // On the approval ledger like every other message, asked for by the reminder service.
    const approvals = await ts.approvals.list({});
    expect(approvals.map((a) => [a.type, a.requestedBy, a.target, a.status]).sort()).toEqual([
      ['slack.dm.send', 'teamstate-reminders', 'ana', 'executed'],
      ['slack.dm.send', 'teamstate-reminders', 'ben', 'executed'],
    ]);
  });

  it('never twice for a person and day: not on the next pass, nor after a restart', async () => {
    let ts = await setup();
    await sendReportReminders(ts);
    now = new Date('2026-03-18T18:30:00Z');
    expect((await sendReportReminders(ts)).filter((o) => o.outcome === 'sent')).toEqual([]);
    await ts.close();
    ts = await open();
    expect((await sendReportReminders(ts)).filter((o) => o.outcome === 'sent')).toEqual([]);
    expect(dms()).toHaveLength(2);
    // The next working day is a new day.
    now = new Date('2026-03-19T17:30:00Z');
    expect((await sendReportReminders(ts)).filter((o) => o.outcome === 'sent').map((o) => o.person)).toEqual(['ana', 'ben']);
  });

  it('leaves out people who reported that day or opted out of reminders, and teams not opted in', async () => {
    const ts = await setup();
    await ts.reports.submit({ person: 'ana', text: 'Shipped the refund flow', source: 'api' });
    await ts.people.optOut('ben', 'reminders');
    expect((await sendReportReminders(ts)).filter((o) => o.outcome === 'sent')).toEqual([]);
    expect(mock.calls).toEqual([]);
    const other = await setup({ actions: { 'slack.dm.send': { mode: 'auto' } } });
    expect(await sendReportReminders(other)).toEqual([]);
  });

  it('goes through the policy: a DM the policy asks a person for waits for approval, a denied one is not sent; neither is retried', async () => {
    const asking = await setup({ ...remindAuto, actions: { 'slack.dm.send': { mode: 'ask' } } });
    expect((await sendReportReminders(asking)).filter((o) => o.outcome === 'sent').map((o) => o.status)).toEqual(['pending', 'pending']);
    expect(mock.calls).toEqual([]);
    await asking.close();
    rmSync(folder, { recursive: true, force: true });
    const denying = await setup({ ...remindAuto, actions: { 'slack.dm.send': { mode: 'deny' } } });
    const outcomes = await sendReportReminders(denying);
    expect(outcomes.filter((o) => o.outcome === 'sent').map((o) => o.status)).toEqual(['denied', 'denied']);
    expect(mock.calls).toEqual([]);
    expect(await sendReportReminders(denying)).toEqual([{ person: 'lee', day: '2026-03-18', outcome: 'no_slack_account' }]);
  });
});

describe('the daily report modal', () => {
  it('"Write my report" opens the modal with the person\'s draft as plain text input, for the reminder\'s day', async () => {
    const ts = await setup();
    const response = await ts.webhooks.receive(
      PATH,
      signedInteraction(clickPayload('2026-03-18', 'U0ANA', REPORT_OPEN_ACTION, 'D0ANA'), now),
    );
    expect(response).toMatchObject({ status: 200, answer: null });
    await response.done;
    const [opened] = mock.callsOf('views.open');
    const view = opened!.args.view as { callback_id: string; private_metadata: string; blocks: Record<string, unknown>[] };
    expect(view.callback_id).toBe(REPORT_CALLBACK_ID);
    expect(JSON.parse(view.private_metadata)).toEqual({ day: '2026-03-18' });
    const input = view.blocks.find((b) => b.block_id === 'report') as { element: { type: string; initial_value: string } };
    expect(input.element.type).toBe('plain_text_input');
    expect(input.element.initial_value).toBe((await ts.reports.draft('ana', '2026-03-18')).text);
    expect(input.element.initial_value).toContain('Add *refund* flow <!channel>');
    // Nothing of the person's text is in a mrkdwn object.
    expect(JSON.stringify(view)).not.toContain('"mrkdwn"');
  });

  it('an unlinked Slack user who clicks gets an explanation instead of a modal', async () => {
    const ts = await setup();
    const response = await ts.webhooks.receive(
      PATH,
      signedInteraction(clickPayload('2026-03-18', 'U0NOBODY', REPORT_OPEN_ACTION, 'D0X'), now),
    );
    await response.done;
    expect(mock.callsOf('views.open')).toEqual([]);
    expect(mock.responses.map((r) => r.text)).toEqual([expect.stringContaining('is not linked to a person in teamstate')]);
  });

  it("files the submission as the verified user's person with source slack, once even when Slack's request is replayed", async () => {
    const ts = await setup();
    const request = signedInteraction(reportSubmissionPayload('U0ANA', '2026-03-18', 'Merged the refund flow', 'Waiting on QA'), now);
    const response = await ts.webhooks.receive(PATH, request);
    expect(response).toMatchObject({ status: 200, answer: null });
    await response.done;
    const replay = await ts.webhooks.receive(PATH, request);
    await replay.done;
    const { items } = await ts.reports.list({ person: 'ana' });
    expect(items).toEqual([
      expect.objectContaining({
        person: 'ana',
        day: '2026-03-18',
        text: 'Merged the refund flow',
        blockers: 'Waiting on QA',
        source: 'slack',
      }),
    ]);
    expect(Number((await ts.store.execute('SELECT count(*) AS n FROM report_revisions')).rows[0]!.n)).toBe(0);
  });

  it('answers empty and over-long text with response_action errors naming the field, and writes nothing', async () => {
    const ts = await setup();
    const answer = async (text: string | null, blockers: string | null = null) => {
      const response = await ts.webhooks.receive(
        PATH,
        signedInteraction(reportSubmissionPayload('U0ANA', '2026-03-18', text, blockers), now),
      );
      expect(response.status).toBe(200);
      return response.answer;
    };
    expect(await answer('   ')).toEqual({
      response_action: 'errors',
      errors: { report: 'Write what you did today (the draft lists your activity as a start).' },
    });
    expect(await answer(null)).toMatchObject({ errors: { report: expect.stringContaining('Write what you did') } });
    expect(await answer('x'.repeat(20_001), 'y'.repeat(20_001))).toEqual({
      response_action: 'errors',
      errors: {
        report: '20,001 characters: at most 20,000. Shorten it, or link to a longer document.',
        blockers: '20,001 characters: at most 20,000.',
      },
    });
    expect((await ts.reports.list({})).items).toEqual([]);
  });

  it('tells an unlinked Slack user in the form why the report cannot be saved', async () => {
    const ts = await setup();
    const response = await ts.webhooks.receive(
      PATH,
      signedInteraction(reportSubmissionPayload('U0NOBODY', '2026-03-18', 'Did things'), now),
    );
    expect(response.answer).toEqual({
      response_action: 'errors',
      errors: { report: expect.stringMatching(/^Your Slack account is not linked to a person in teamstate.*slack: U0NOBODY/) },
    });
    expect((await ts.reports.list({})).items).toEqual([]);
  });

  it('explains in a DM a report core refuses after the modal closed (a day now too far back)', async () => {
    const ts = await setup();
    const response = await ts.webhooks.receive(PATH, signedInteraction(reportSubmissionPayload('U0BEN', '2026-01-02', 'Old news'), now));
    expect(response.answer).toBeNull();
    await response.done;
    expect(mock.callsOf('chat.postMessage').map((c) => c.args.text)).toEqual([
      expect.stringMatching(/^:no_entry_sign: Your report for 2026-01-02 was not saved: day: 2026-01-02 is more than 30 days back/),
    ]);
    expect((await ts.reports.list({})).items).toEqual([]);
  });

  it('refuses an unsigned submission with 401, writing nothing', async () => {
    const ts = await setup();
    const request = signedInteraction(reportSubmissionPayload('U0ANA', '2026-03-18', 'Forged'), now, 'not-the-secret');
    expect((await ts.webhooks.receive(PATH, request)).status).toBe(401);
    expect((await ts.reports.list({})).items).toEqual([]);
  });
});
