import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { email } from '@teamstate/connectors/email';
import { slack } from '@teamstate/connectors/slack';
import { createTeamState, runNudges, type SignalDetector, type TeamState } from '@teamstate/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SLACK_API, useSlackMock } from './helpers/slack-mock.js';
import { mimeParts, type ReceivedMail, startSmtpServer, type TestSmtpServer } from './helpers/smtp-server.js';

// Nudges, personal alerts and the daily digest reach people without Slack by email: one message per recipient and
// event, across a restart and between two processes on one database file, with an escaped HTML part and a plain-text
// part. The SMTP server is a real one on 127.0.0.1; the libSQL files are real.
const slackMock = useSlackMock();
let now = new Date('2026-03-11T10:00:00Z'); // a Wednesday
let dir: string;
let server: TestSmtpServer;
const open: TeamState[] = [];
beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'teamstate-email-nudges-'));
  now = new Date('2026-03-11T10:00:00Z');
  server = await startSmtpServer();
});
afterEach(async () => {
  for (const ts of open.splice(0)) await ts.close();
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

/** People's text with markup in it: it must arrive as text in both parts, never as HTML. */
const TITLE = 'Retry <b>refunds</b> & "fees" <script>alert(1)</script>';

/** Open pull requests nobody reviewed, titled with the PR's own (outside) title. */
const unreviewed: SignalDetector = {
  specificationVersion: 'v1',
  kind: 'pr.unreviewed',
  title: 'Unreviewed PR',
  description: 'An open pull request without reviews.',
  async detect(db, ctx) {
    const { rows } = await db.execute(
      `SELECT w.id, w.title, w.team_id FROM work_items w WHERE w.workspace = ? AND w.kind = 'pull_request' AND w.state = 'open'`,
      [ctx.workspace],
    );
    return rows.map((r) => ({
      severity: 'warning' as const,
      subject: { type: 'work_item' as const, id: String(r.id) },
      team: String(r.team_id),
      title: String(r.title),
      evidence: {},
    }));
  },
};

/** Ana writes the PR and Rui reviews it, both by email only; Sam has no address; the team digest goes at 09:30. */
const bundle = {
  format: 'teamstate.bundle/v1',
  teams: [{ id: 'pay', name: 'Payments', leads: ['sam'] }],
  people: [
    { id: 'ana', name: 'Ana', email: 'ana@acme.example', teams: ['pay'], timeZone: 'Europe/Berlin' },
    { id: 'rui', name: 'Rui', email: 'rui@acme.example', teams: ['pay'], timeZone: 'UTC' },
    { id: 'sam', name: 'Sam', teams: ['pay'], timeZone: 'UTC' },
  ],
  repositories: [{ id: 'acme/api', team: 'pay' }],
  workItems: [
    {
      id: 'gh-pr-acme/api#7',
      source: 'github',
      kind: 'pull_request',
      key: 'acme/api#7',
      title: TITLE,
      url: 'https://github.com/acme/api/pull/7',
      state: 'open',
      team: 'pay',
      repository: 'acme/api',
      author: 'ana',
      createdAt: '2026-03-10T08:00:00Z',
      requestedReviewers: ['rui'],
    },
  ],
};
const SIGNAL = 'pr.unreviewed:work_item:gh-pr-acme/api#7';

async function instance(options: { alerts?: Record<string, unknown>; slack?: boolean } = {}): Promise<TeamState> {
  const mailer = email({
    smtp: { host: '127.0.0.1', port: server.port },
    from: 'teamstate@acme.example',
    publicUrl: 'https://ts.acme.example',
    slackConfigured: options.slack,
  });
  const ts = await createTeamState({
    database: `file:${join(dir, 'teamstate.db')}`,
    connectors: options.slack ? [slack({ token: 'xoxb-test-token', apiUrl: SLACK_API, approvalRequests: false }), mailer] : [mailer],
    signals: [unreviewed],
    policy: {
      actions: {
        'email.send': { mode: 'auto', risk: 'low' },
        'slack.dm.send': { mode: 'auto', risk: 'low' },
        'slack.message.post': { mode: 'auto', risk: 'low' },
      },
      agreements: [{ id: 'review-within-a-day', signal: 'pr.unreviewed', after: '24h', notify: 'author' }] as never,
    },
    alerts: options.alerts ?? { reviewRequested: { after: '4h' }, ciFailed: false },
    clock: () => now,
  });
  open.push(ts);
  return ts;
}

/** The signal first seen a day and a half before now, so the agreement's 24 h have passed. */
async function seen(ts: TeamState): Promise<void> {
  const later = now;
  now = new Date(later.getTime() - 36 * 3_600_000);
  await ts.signals.refresh();
  now = later;
}

const to = (address: string) => server.received.filter((mail) => mail.to.includes(address));

/** Both parts carry the title as text: as it is in the plain part, every character escaped in the HTML part. */
function expectEscaped(mail: ReceivedMail): void {
  const { text, html } = mimeParts(mail);
  expect(text).toContain(TITLE);
  expect(html).toContain('Retry &#60;b&#62;refunds&#60;/b&#62; &#38; &#34;fees&#34; &#60;script&#62;alert(1)&#60;/script&#62;');
  expect(html).not.toContain('<script>');
  expect(html).not.toContain('<b>');
}

describe('nudges by email', () => {
  it('sends the author one email per nudge, across a restart and between two processes', async () => {
    const first = await instance();
    await first.import(bundle);
    await seen(first);
    // A dry run says how each would go, and sends nothing.
    expect((await first.agreements.nudge({ dryRun: true })).due).toEqual([
      { agreement: 'review-within-a-day', signal: SIGNAL, stage: 'nudge', recipient: 'ana', via: 'email.send' },
    ]);
    expect(server.received).toEqual([]);
    const other = await instance();
    const [a, b] = await Promise.all([runNudges(first), runNudges(other)]);
    expect([...a.sent, ...b.sent]).toMatchObject([{ signal: SIGNAL, recipient: 'ana', stage: 'nudge', status: 'executed' }]);
    expect(to('ana@acme.example')).toHaveLength(1);
    await first.close();
    const restarted = await instance();
    expect((await runNudges(restarted)).sent).toEqual([]);
    expect(to('ana@acme.example')).toHaveLength(1);
    const [mail] = to('ana@acme.example');
    expect(mail!.from).toBe('teamstate@acme.example');
    expect(mimeParts(mail!).subject).toBe(`Nudge: ${TITLE}`);
    // The clock teamstate runs on dates the message.
    expect(mimeParts(mail!).headers).toContain('Date: Wed, 11 Mar 2026 10:00:00 +0000');
    expect(mimeParts(mail!).text).toContain(`teamstate signals ack ${SIGNAL}`);
    expectEscaped(mail!);
  });

  it('skips a recipient with neither Slack nor an email address, and names why', async () => {
    const ts = await instance();
    await ts.import({ ...bundle, people: bundle.people.map((p) => (p.id === 'ana' ? { ...p, email: undefined } : p)) });
    await seen(ts);
    const round = await runNudges(ts);
    expect(round.sent).toEqual([]);
    expect(round.skipped).toMatchObject([{ recipient: 'ana', reason: 'no_slack_account' }]);
    expect(server.received).toEqual([]);
  });
});

describe('personal alerts and the daily digest by email', () => {
  it('sends a waiting reviewer one alert email, across a restart and between two processes', async () => {
    const first = await instance();
    await first.import(bundle);
    const other = await instance();
    const [a, b] = await Promise.all([first.alerts.run(), other.alerts.run()]);
    expect([...a.sent, ...b.sent]).toMatchObject([{ person: 'rui', kind: 'review_requested', status: 'executed' }]);
    await first.close();
    expect((await (await instance()).alerts.run()).sent).toEqual([]);
    const mails = to('rui@acme.example');
    expect(mails).toHaveLength(1);
    expect(mimeParts(mails[0]!).text).toContain('https://github.com/acme/api/pull/7');
    expectEscaped(mails[0]!);
  });

  it('sends each member with an address the team digest once a day, from its time', async () => {
    const alerts = { reviewRequested: { after: '4h' }, ciFailed: false, dailyDigest: { time: '10:30', channel: 'C0PAY' } };
    const first = await instance({ alerts });
    await first.import(bundle);
    expect((await first.alerts.run()).digests).toEqual([]);
    now = new Date('2026-03-11T10:45:00Z');
    const other = await instance({ alerts });
    const [a, b] = await Promise.all([first.alerts.run(), other.alerts.run()]);
    expect([...a.digests, ...b.digests].map((d) => d.recipient).sort()).toEqual(['ana', 'rui']);
    expect((await first.alerts.run()).digests).toEqual([]);
    const digests = server.received.filter((mail) => mimeParts(mail).subject === 'Daily digest for pay');
    expect(digests.map((mail) => mail.to[0]).sort()).toEqual(['ana@acme.example', 'rui@acme.example']);
    for (const mail of digests) {
      expect(mimeParts(mail).text).toContain('review by rui waiting');
      expectEscaped(mail);
    }
    // The next day's digest goes again, once.
    now = new Date('2026-03-12T10:45:00Z');
    expect((await first.alerts.run()).digests.map((d) => d.recipient).sort()).toEqual(['ana', 'rui']);
  });

  it('leaves a person with a Slack account to Slack when Slack is configured too, and emails the others', async () => {
    const ts = await instance({ slack: true });
    await ts.import({
      ...bundle,
      people: [
        ...bundle.people,
        {
          id: 'kai',
          name: 'Kai',
          email: 'kai@acme.example',
          teams: ['pay'],
          timeZone: 'UTC',
          accounts: [{ provider: 'slack', id: 'U0KAI' }],
        },
      ],
      workItems: bundle.workItems.map((item) => ({ ...item, requestedReviewers: ['rui', 'kai'] })),
    });
    const pass = await ts.alerts.run();
    expect(pass.sent.map((sent) => `${sent.person} ${sent.status}`).sort()).toEqual(['kai executed', 'rui executed']);
    expect(slackMock.callsOf('conversations.open').map((call) => call.args.users)).toEqual(['U0KAI']);
    expect(server.received.map((mail) => mail.to[0])).toEqual(['rui@acme.example']);
  });
});
