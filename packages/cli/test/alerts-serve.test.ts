import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { slack } from '@teamstate/connectors/slack';
import { createTeamState, parsePolicy, silentLogger, type TeamState } from '@teamstate/core';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { SLACK_API, useSlackMock } from '../../connectors/test/helpers/slack-mock.js';
import { alertsJob } from '../src/server/people-health-schedule.js';
import { createScheduler, type SchedulerTimers } from '../src/server/scheduler.js';
import { manualTimers } from './manual-timers.js';

// serve's personal alerts job (docs/people-health.md#personal-alerts): every schedule.alerts, one process at a time
// (lease @alerts), each event's DM exactly once across a restart of serve and between two serve processes on one
// database file. msw stands in for Slack.
const mock = useSlackMock();
const dir = mkdtempSync(join(tmpdir(), 'teamstate-alerts-serve-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const opened: TeamState[] = [];
afterEach(async () => {
  for (const ts of opened.splice(0)) await ts.close();
});

let now = Date.parse('2026-03-10T09:30:00Z'); // a Tuesday, in working hours (UTC)

async function open(database: string) {
  const ts = await createTeamState({
    database,
    clock: () => new Date(now),
    connectors: [slack({ token: 'xoxb-test-token', apiUrl: SLACK_API, approvalRequests: false })],
    policy: parsePolicy({ actions: { 'slack.dm.send': { mode: 'auto' } } }),
    alerts: { reviewRequested: { after: '4h' } },
  });
  opened.push(ts);
  return ts;
}

const bundle = {
  format: 'teamstate.bundle/v1' as const,
  people: [
    { id: 'ana', name: 'Ana', timeZone: 'UTC', accounts: [{ provider: 'slack' as const, id: 'U0ANA' }] },
    { id: 'rui', name: 'Rui', timeZone: 'UTC', accounts: [{ provider: 'slack' as const, id: 'U0RUI' }] },
  ],
  workItems: [
    {
      id: 'pr-7',
      source: 'github',
      kind: 'pull_request' as const,
      key: 'acme/api#7',
      title: 'Retry refunds',
      url: 'https://github.com/acme/api/pull/7',
      state: 'open',
      author: 'ana',
      createdAt: '2026-03-10T03:00:00Z',
      requestedReviewers: ['rui'],
    },
  ],
};

/** Timers driven by the test, on the same clock as the TeamStates. */
const testClock = {
  now: () => now,
  set: (at: number) => {
    now = at;
  },
};

function serveAlerts(ts: TeamState, holder: string, timers: SchedulerTimers) {
  const scheduler = createScheduler({ log: silentLogger, timers, lease: (key, ttlMs) => ts.syncLease(key, { holder, ttlMs }) });
  scheduler.add(alertsJob(ts, silentLogger));
  scheduler.start();
  return scheduler;
}

const dmsToRui = () => mock.callsOf('conversations.open').filter((call) => call.args.users === 'U0RUI').length;

describe("serve's personal alerts", () => {
  it('sends the DM once across a restart of serve, and once with two serve processes on one database', async () => {
    const database = `file:${join(dir, 'alerts.db')}`;
    const clock = manualTimers(testClock);
    let ts = await open(database);
    await ts.import(bundle);
    const scheduler = serveAlerts(ts, 'host:1', clock.timers);
    await clock.advance(30 * 60_000);
    await scheduler.stop();
    expect(dmsToRui()).toBe(1);
    const text = String(mock.callsOf('chat.postMessage')[0]!.args.text);
    expect(text).toContain('Retry refunds');
    expect(text).toContain('https://github.com/acme/api/pull/7');
    // serve restarts on the same file: the alert is not sent again.
    await ts.close();
    opened.splice(0);
    ts = await open(database);
    const second = await open(database);
    const schedulers = [serveAlerts(ts, 'host:2', clock.timers), serveAlerts(second, 'host:3', clock.timers)];
    await clock.advance(60 * 60_000);
    for (const s of schedulers) await s.stop();
    expect(schedulers.map((s) => s.states()[0]!.runs).every((runs) => runs >= 10)).toBe(true);
    expect(dmsToRui()).toBe(1);
    expect((await ts.approvals.list({ limit: 10 })).map((a) => a.type)).toEqual(['slack.dm.send']);
  });
});

describe('which serve runs personal alerts in', () => {
  it('runs them with only the email connector (people without Slack get them by email), not with neither', async () => {
    const { email } = await import('@teamstate/connectors/email');
    const { reachesPeople } = await import('../src/server/people-health-schedule.js');
    const mail = await createTeamState({
      database: ':memory:',
      connectors: [
        email({ smtp: { host: '127.0.0.1', port: 2525 }, from: 'teamstate@acme.example', publicUrl: 'https://ts.acme.example' }),
      ],
    });
    const none = await createTeamState({ database: ':memory:' });
    opened.push(mail, none);
    expect(reachesPeople(mail)).toBe(true);
    expect(reachesPeople(none)).toBe(false);
  });
});
