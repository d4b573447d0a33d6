import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { email } from '@teamstate/connectors/email';
import { createTeamState, parsePolicy, silentLogger, type TeamState } from '@teamstate/core';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mimeParts, startSmtpServer, type TestSmtpServer } from '../../connectors/test/helpers/smtp-server.js';
import { postRiskDigests, riskDigestJob } from '../src/server/risk-digest-schedule.js';
import { createScheduler } from '../src/server/scheduler.js';
import { manualTimers } from './manual-timers.js';

// serve's weekly risk digest by email (docs/connectors/email.md): each member of a team with an email address and no
// Slack gets the team's digest, one message each, once per team and week across restarts and two processes sharing
// the database; the risk titles (people's words) arrive escaped in the HTML part. The SMTP server is a real local one.
const dir = mkdtempSync(join(tmpdir(), 'teamstate-risk-digest-email-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const opened: TeamState[] = [];
let server: TestSmtpServer;
beforeEach(async () => {
  server = await startSmtpServer();
});
afterEach(async () => {
  for (const ts of opened.splice(0)) await ts.close();
  await server.close();
});

const MONDAY = Date.parse('2026-03-09T00:00:00Z');
let now = MONDAY + 10 * 3_600_000;
const TITLE = 'Card <b>processor</b> sunset & "fees"';

async function open(database: string) {
  const ts = await createTeamState({
    database,
    clock: () => new Date(now),
    connectors: [
      email({ smtp: { host: '127.0.0.1', port: server.port }, from: 'teamstate@acme.example', publicUrl: 'https://ts.acme.example' }),
    ],
    policy: parsePolicy({ actions: { 'email.send': { mode: 'auto', risk: 'low' } } }),
  });
  opened.push(ts);
  return ts;
}

async function seed(ts: TeamState) {
  await ts.import({
    format: 'teamstate.bundle/v1',
    teams: [{ id: 'payments', name: 'Payments' }],
    people: [
      { id: 'ana', name: 'Ana', email: 'ana@acme.example', teams: ['payments'] },
      { id: 'sam', name: 'Sam', teams: ['payments'] },
    ],
    risks: [{ id: 'r1', team: 'payments', title: TITLE, severity: 'high', owner: 'ana', createdAt: '2026-03-05T10:00:00Z' }],
  });
}

describe('the weekly risk digest by email', () => {
  it('emails each member with an address once per week, across a restart', async () => {
    now = MONDAY + 10 * 3_600_000;
    const database = `file:${join(dir, 'once.db')}`;
    let ts = await open(database);
    await seed(ts);
    expect(await postRiskDigests(ts, silentLogger)).toEqual([{ team: 'payments', recipient: 'ana', outcome: 'posted' }]);
    expect(server.received.map((mail) => mail.to)).toEqual([['ana@acme.example']]);
    const parts = mimeParts(server.received[0]!);
    expect(parts.subject).toBe('Risk digest for Payments');
    expect(parts.text).toContain(TITLE);
    expect(parts.html).toContain('Card &#60;b&#62;processor&#60;/b&#62; sunset &#38; &#34;fees&#34;');
    expect(parts.html).not.toContain('<b>');
    now += 2 * 86_400_000;
    expect(await postRiskDigests(ts, silentLogger)).toEqual([]);
    await ts.close();
    opened.splice(0);
    ts = await open(database);
    expect(await postRiskDigests(ts, silentLogger)).toEqual([]);
    expect(server.received).toHaveLength(1);
    // The next week is due again.
    now = MONDAY + 7 * 86_400_000 + 60_000;
    expect(await postRiskDigests(ts, silentLogger)).toEqual([{ team: 'payments', recipient: 'ana', outcome: 'posted' }]);
    expect(server.received).toHaveLength(2);
  });

  it('goes out once when two serve processes share the database', async () => {
    now = MONDAY + 10 * 3_600_000;
    const database = `file:${join(dir, 'two.db')}`;
    const first = await open(database);
    await seed(first);
    const second = await open(database);
    const clock = manualTimers({
      now: () => now,
      set: (at: number) => {
        now = at;
      },
    });
    const schedulers = [first, second].map((ts, i) => {
      const scheduler = createScheduler({
        log: silentLogger,
        timers: clock.timers,
        lease: (key, ttlMs) => ts.syncLease(key, { holder: `host:${i}`, ttlMs }),
      });
      scheduler.add(riskDigestJob(ts, silentLogger));
      scheduler.start();
      return scheduler;
    });
    await clock.advance(3 * 86_400_000);
    for (const scheduler of schedulers) await scheduler.stop();
    expect(server.received.map((mail) => mail.to[0])).toEqual(['ana@acme.example']);
  });
});
