import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from './run-cli.js';
import { serveWhile } from './serve-while.js';
import { until } from './until.js';

// `teamstate serve` runs the working agreements (issue 50): a pull request waiting for review nudges its author once,
// across a restart, and escalates to the team's lead once even with two serve processes on one database. Slack is a
// local server answering from the recorded fixtures (the children's requests cannot be intercepted in this process).
const fixtures = new URL('../../connectors/test/__fixtures__/slack/', import.meta.url);
const fixture = (name: string) => JSON.parse(readFileSync(new URL(`${name}.json`, fixtures), 'utf8')) as Record<string, unknown>;
const root = mkdtempSync(join(tmpdir(), 'teamstate-serve-nudges-'));
const dir = join(root, 'project');
const calls: { path: string; args: Record<string, unknown> }[] = [];
let slackApi: Server;

beforeAll(async () => {
  let ts = 0;
  slackApi = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      const path = request.url ?? '';
      const args = (request.headers['content-type'] ?? '').includes('json')
        ? (JSON.parse(text) as Record<string, unknown>)
        : Object.fromEntries(new URLSearchParams(text));
      calls.push({ path, args });
      const answers: Record<string, () => Record<string, unknown>> = {
        '/api/conversations.open': () => ({ ...fixture('conversations.open'), channel: { id: `D0${String(args.users).slice(2)}` } }),
        '/api/chat.postMessage': () => ({
          ...fixture('chat.postMessage'),
          channel: args.channel,
          ts: `1773855000.${String(++ts).padStart(6, '0')}`,
        }),
      };
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify(answers[path]?.() ?? { ok: false, error: 'unknown_method' }));
    });
  });
  await new Promise<void>((resolve) => slackApi.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(slackApi.address() as AddressInfo).port}`;
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    join(dir, 'teamstate.config.yaml'),
    `database: team.db
connectors:
  slack: { token: xoxb-serve-nudges, signingSecret: serve-nudges-secret, apiUrl: ${origin}/api/ }
teams:
  - { id: payments, name: Payments, members: [ana, lee], leads: [lee], repositories: [acme/api] }
people:
  - { id: ana, name: Ana Garcia, slack: U0ANA, timeZone: Europe/Berlin }
  - { id: lee, name: Lee Park, slack: U0LEE, timeZone: Europe/London }
policy:
  actions:
    slack.dm.send: { mode: auto }
  agreements:
    - { id: review-within-a-day, signal: pr.awaiting_review, teams: [payments], after: 24h, notify: author, escalate: { after: 48h, notify: leads } }
`,
  );
  writeFileSync(
    join(dir, 'prs.json'),
    JSON.stringify({
      format: 'teamstate.bundle/v1',
      repositories: [{ id: 'acme/api', team: 'payments' }],
      workItems: [
        {
          id: 'gh-pr-acme/api#7',
          source: 'github',
          kind: 'pull_request',
          key: 'acme/api#7',
          title: 'Retry refunds',
          state: 'open',
          team: 'payments',
          repository: 'acme/api',
          author: 'ana',
          createdAt: '2026-03-09T08:00:00Z',
        },
      ],
    }),
  );
  for (const args of [
    ['sync', '--only', 'config'],
    ['import', 'prs.json'],
  ]) {
    const done = await runCli(args, { cwd: dir });
    expect(done.code, done.stderr).toBe(0);
  }
});
afterAll(async () => {
  await new Promise((resolve) => slackApi.close(resolve));
  rmSync(root, { recursive: true, force: true });
});

const serve = <T>(now: string, fn: (base: string, stderr: () => string) => Promise<T>) =>
  serveWhile({ cwd: dir, env: process.env, args: ['--now', now, '--debug'] }, fn);
// The first nudges pass runs as soon as serve starts (the job has no firstRunInMs); a process that finds another one
// holding the `@nudges` lease skips its pass (logged with --debug) and tries again an interval later.
const pass = (log: () => string) => until('the nudges pass', () => /nudges: (\d+ sent|skipped)[^\n]*/.exec(log())?.[0]);
// Nudges and escalations DMed to a Slack user (counted by their text: other DMs, such as an onboarding plan, are not nudges).
const dmsTo = (user: string) =>
  calls.filter(
    (c) =>
      c.path === '/api/chat.postMessage' && c.args.channel === `D0${user.slice(2)}` && String(c.args.text).includes('(working agreement '),
  ).length;

describe('teamstate serve with working agreements', () => {
  it('nudges once across a restart, and escalates once with two serve processes', async () => {
    // Monday 10:30 in Berlin: the signal opens; nothing is due yet.
    await serve('2026-03-16T09:30:00Z', async (_, log) => expect(await pass(log)).toMatch(/^nudges: 0 sent/));
    // A day later: Ana is nudged, once, also after a restart.
    await serve('2026-03-17T10:00:00Z', async (_, log) => expect(await pass(log)).toMatch(/^nudges: 1 sent \(nudge ana\)/));
    await serve('2026-03-17T10:30:00Z', async (_, log) => expect(await pass(log)).toMatch(/^nudges: 0 sent/));
    expect(dmsTo('U0ANA')).toBe(1);
    // Two days later, two serve processes at once: Lee, the lead, gets one escalation. One process runs the pass under
    // the lease; the other skips it while the lease is held, or finds nothing left to send once it is released.
    const passes = await serve('2026-03-18T10:00:00Z', (_, first) =>
      serve('2026-03-18T10:00:00Z', async (__, second) => [await pass(first), await pass(second)]),
    );
    const [sent, other] = passes.result.result.sort(
      (a, b) => Number(b.startsWith('nudges: 1 sent')) - Number(a.startsWith('nudges: 1 sent')),
    );
    expect(sent).toBe('nudges: 1 sent (escalate lee), 0 skipped, 0 waiting for working hours');
    expect(other).toMatch(/^nudges: (0 sent, 0 skipped, 0 waiting for working hours|skipped, .+ is running it \(lease until .+\))$/);
    expect(dmsTo('U0LEE')).toBe(1);
    expect(dmsTo('U0ANA')).toBe(1);
  });
});
