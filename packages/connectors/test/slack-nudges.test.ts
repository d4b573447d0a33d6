import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { slack } from '@teamstate/connectors/slack';
import { createTeamState, runNudges, SIGNAL_ACTIONS, type SignalDetector, type TeamState } from '@teamstate/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { clickPayload, SIGNING_SECRET, signedInteraction } from './helpers/slack-interaction.js';
import { SLACK_API, useSlackMock } from './helpers/slack-mock.js';

// Working agreements → nudges (issue 50): a signal open too long is nudged in Slack through the policy, once per
// agreement, signal, recipient and stage, across restarts and two processes on one database file; escalation reaches
// the team's leads; quiet hours are respected; Acknowledge stops it. msw stands in for Slack; libSQL files are real.
const mock = useSlackMock();
let now = new Date('2026-03-10T09:30:00Z'); // a Tuesday
let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'teamstate-nudges-'));
  now = new Date('2026-03-10T09:30:00Z');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** A detector as a third party would write it: open pull requests nobody has reviewed. */
const unreviewed: SignalDetector = {
  specificationVersion: 'v1',
  kind: 'pr.unreviewed',
  title: 'Unreviewed PR',
  description: 'An open pull request without reviews.',
  async detect(db, ctx) {
    const { rows } = await db.execute(
      `SELECT w.id, w.key, w.team_id FROM work_items w WHERE w.workspace = ? AND w.kind = 'pull_request' AND w.state = 'open'
       AND NOT EXISTS (SELECT 1 FROM reviews r WHERE r.workspace = w.workspace AND r.work_item_id = w.id)`,
      [ctx.workspace],
    );
    return rows.map((r) => ({
      severity: 'warning' as const,
      subject: { type: 'work_item' as const, id: String(r.id) },
      team: String(r.team_id),
      // Outside text in the title: it must reach Slack as text, never as a mention.
      title: `${String(r.key)} <!channel> waits for a review`,
      evidence: { key: String(r.key) },
    }));
  },
};

const bundle = {
  format: 'teamstate.bundle/v1',
  teams: [{ id: 'pay', name: 'Payments', leads: ['lee'] }],
  people: [
    { id: 'ana', name: 'Ana', teams: ['pay'], timeZone: 'Europe/Berlin', accounts: [{ provider: 'slack', id: 'U0ANA' }] },
    { id: 'lee', name: 'Lee', teams: ['pay'], timeZone: 'America/New_York', accounts: [{ provider: 'slack', id: 'U0LEE' }] },
  ],
  repositories: [{ id: 'acme/api', team: 'pay' }],
  workItems: [
    {
      id: 'gh-pr-acme/api#7',
      source: 'github',
      kind: 'pull_request',
      key: 'acme/api#7',
      title: 'Retry refunds',
      state: 'open',
      team: 'pay',
      repository: 'acme/api',
      author: 'ana',
      createdAt: '2026-03-10T08:00:00Z',
    },
  ],
};
const SIGNAL = 'pr.unreviewed:work_item:gh-pr-acme/api#7';

const agreement = {
  id: 'review-within-a-day',
  signal: 'pr.unreviewed',
  teams: ['pay'],
  after: '24h',
  notify: 'author',
  escalate: { after: '48h', notify: 'leads' },
};

async function open(extra: Record<string, unknown> = {}): Promise<TeamState> {
  return mock.keep(
    await createTeamState({
      database: `file:${join(dir, 'teamstate.db')}`,
      connectors: [slack({ token: 'xoxb-test-token', signingSecret: SIGNING_SECRET, apiUrl: SLACK_API, approvalRequests: false })],
      signals: [unreviewed],
      policy: {
        actions: { 'slack.dm.send': { mode: 'auto', risk: 'low' }, 'slack.message.post': { mode: 'auto', risk: 'low' } },
        agreements: [{ ...agreement, ...extra }] as never,
      },
      clock: () => now,
    }),
  );
}

/** The DMs Slack received: to whom (the channel conversations.open gave back) and what. */
const dms = () =>
  mock
    .callsOf('chat.postMessage')
    .map((call) => ({ channel: String(call.args.channel), text: String(call.args.text), blocks: call.args.blocks }));
const dmsTo = (user: string) => mock.callsOf('conversations.open').filter((call) => call.args.users === user).length;

async function started(extra: Record<string, unknown> = {}): Promise<TeamState> {
  const ts = await open(extra);
  await ts.import(bundle);
  await ts.signals.refresh();
  return ts;
}

describe('working agreement nudges', () => {
  it('nudges the author once after `after`, in their working hours, across a restart', async () => {
    const ts = await started();
    // Not yet open 24 h: nothing.
    now = new Date('2026-03-11T08:00:00Z');
    expect((await runNudges(ts)).sent).toEqual([]);
    now = new Date('2026-03-11T10:00:00Z'); // 11:00 in Berlin
    const round = await runNudges(ts);
    expect(round.sent).toMatchObject([
      { agreement: 'review-within-a-day', signal: SIGNAL, stage: 'nudge', recipient: 'ana', status: 'executed' },
    ]);
    expect(dmsTo('U0ANA')).toBe(1);
    const [message] = dms();
    expect(message!.text).toContain('review-within-a-day');
    // The PR's text is escaped: no broadcast mention reaches Slack.
    expect(message!.text).not.toContain('<!channel>');
    expect(JSON.stringify(message!.blocks)).toContain(SIGNAL_ACTIONS.ack);
    // The same pass again, and after a restart on the same file: nothing more.
    expect((await runNudges(ts)).sent).toEqual([]);
    await ts.close();
    now = new Date('2026-03-11T10:30:00Z');
    const reopened = await open();
    expect((await runNudges(reopened)).sent).toEqual([]);
    expect(dmsTo('U0ANA')).toBe(1);
    const [approval] = await reopened.approvals.list({});
    expect(approval).toMatchObject({ type: 'slack.dm.send', requestedBy: 'teamstate-nudges' });
  });

  it('sends each nudge once when two processes run the pass at the same moment', async () => {
    const first = await started();
    const second = await open();
    now = new Date('2026-03-11T10:00:00Z');
    const rounds = await Promise.all([runNudges(first), runNudges(second), runNudges(first), runNudges(second)]);
    expect(rounds.flatMap((r) => r.sent)).toHaveLength(1);
    expect(dmsTo('U0ANA')).toBe(1);
    expect(mock.callsOf('chat.postMessage')).toHaveLength(1);
  });

  it('waits for the recipient’s working hours (quiet hours), in their own time zone', async () => {
    const ts = await started();
    // 03:00 in Berlin, open 40 h: due, but deferred.
    now = new Date('2026-03-12T02:00:00Z');
    const night = await runNudges(ts);
    expect(night).toMatchObject({ sent: [], deferred: 1 });
    expect(dmsTo('U0ANA')).toBe(0);
    // 09:00 in Berlin: sent.
    now = new Date('2026-03-12T08:00:00Z');
    expect((await runNudges(ts)).sent).toHaveLength(1);
    expect(dmsTo('U0ANA')).toBe(1);
  });

  it('escalates to the team’s leads after escalate.after, once, and the author is not nudged again', async () => {
    const ts = await started();
    now = new Date('2026-03-11T10:00:00Z');
    await runNudges(ts);
    // 49 h open; 10:30 in New York, 15:30 in Berlin.
    now = new Date('2026-03-12T14:30:00Z');
    const round = await runNudges(ts);
    expect(round.sent).toMatchObject([{ stage: 'escalate', recipient: 'lee' }]);
    expect(dmsTo('U0LEE')).toBe(1);
    expect(dmsTo('U0ANA')).toBe(1);
    expect(dms().at(-1)!.text).toMatch(/^Escalation/);
    expect((await runNudges(ts)).sent).toEqual([]);
  });

  it('stops once the author acknowledges the nudge in Slack', async () => {
    const ts = await started();
    now = new Date('2026-03-11T10:00:00Z');
    await runNudges(ts);
    const response = await ts.webhooks.receive('slack/interactivity', signedInteraction(signalButton('U0ANA', SIGNAL_ACTIONS.ack), now));
    await response.done;
    const signal = await ts.signals.get(SIGNAL);
    expect(signal).toMatchObject({ ack: { by: 'ana', at: now.toISOString() }, owner: 'ana' });
    now = new Date('2026-03-12T14:30:00Z');
    expect((await runNudges(ts)).sent).toEqual([]);
    expect(dmsTo('U0LEE')).toBe(0);
  });

  it('waits while a signal is snoozed, then nudges again where it was', async () => {
    const ts = await started();
    now = new Date('2026-03-11T10:00:00Z');
    const response = await ts.webhooks.receive('slack/interactivity', signedInteraction(signalButton('U0ANA', SIGNAL_ACTIONS.snooze), now));
    await response.done;
    expect((await ts.signals.get(SIGNAL))?.snoozedUntil).toBe('2026-03-12T10:00:00.000Z');
    expect((await runNudges(ts)).sent).toEqual([]);
    now = new Date('2026-03-12T14:30:00Z');
    expect((await runNudges(ts)).sent.map((s) => `${s.stage} ${s.recipient}`).sort()).toEqual(['escalate lee', 'nudge ana']);
  });

  it('posts to the agreement’s channel for notify: team', async () => {
    const ts = await started({ notify: 'team', channel: 'C0PAYMENTS', escalate: undefined });
    now = new Date('2026-03-11T10:00:00Z');
    expect((await runNudges(ts)).sent).toMatchObject([{ recipient: 'channel:C0PAYMENTS' }]);
    expect(dms()).toMatchObject([{ channel: 'C0PAYMENTS' }]);
    expect((await runNudges(ts)).sent).toEqual([]);
  });
});

/** A click on one of a nudge's buttons, from the DM. */
function signalButton(user: string, actionId: string) {
  const payload = clickPayload(SIGNAL, user, actionId, `D${user.slice(1)}`);
  const actions = payload.actions as Record<string, unknown>[];
  return { ...payload, actions: [{ ...actions[0], block_id: 'teamstate.signal' }] };
}
