import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { signSlackRequest } from '@teamstate/connectors/slack';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from './run-cli.js';
import { serveWhile } from './serve-while.js';
import { until } from './until.js';

// `teamstate serve` as a child process with Slack configured (issues 18 and 22): it sends the daily report reminders
// that are due on its clock (--now), at most once per person and day across a restart, and answers /teamstate. Slack
// is a local server answering from the recorded fixtures (the child's requests cannot be intercepted in this process).
const fixtures = new URL('../../connectors/test/__fixtures__/slack/', import.meta.url);
const fixture = (name: string) => JSON.parse(readFileSync(new URL(`${name}.json`, fixtures), 'utf8')) as Record<string, unknown>;
const TOKEN = 'xoxb-serve-test-token-never-printed';
const SECRET = 'slack-serve-signing-secret';
// Wednesday 18 March 2026, 17:30 UTC: 18:30 in Berlin.
const NOW = '2026-03-18T17:30:00Z';

interface Call {
  path: string;
  args: Record<string, unknown>;
}

const root = mkdtempSync(join(tmpdir(), 'teamstate-slack-serve-'));
const dir = join(root, 'project');
const calls: Call[] = [];
let slackApi: Server;
let origin: string;

function decode(value: string): unknown {
  if (!/^[[{]/.test(value)) return value;
  try {
    return JSON.parse(value);
  } catch {
    return value;
  }
}

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
        : Object.fromEntries([...new URLSearchParams(text)].map(([k, v]) => [k, decode(v)]));
      calls.push({ path, args });
      const method = path.replace(/^\/api\//, '');
      const answers: Record<string, () => Record<string, unknown>> = {
        'conversations.open': () => ({ ...fixture('conversations.open'), channel: { id: `D0${String(args.users).slice(2)}` } }),
        'chat.postMessage': () => ({
          ...fixture('chat.postMessage'),
          channel: args.channel,
          ts: `1773855000.${String(++ts).padStart(6, '0')}`,
        }),
        'views.open': () => fixture('views.open'),
      };
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify(answers[method]?.() ?? (path.startsWith('/commands/') ? {} : { ok: false, error: 'unknown_method' })));
    });
  });
  await new Promise<void>((resolve) => slackApi.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(slackApi.address() as AddressInfo).port}`;
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    join(dir, 'teamstate.config.yaml'),
    `database: team.db
connectors:
  slack: { token: \${SLACK_BOT_TOKEN}, signingSecret: \${SLACK_SIGNING_SECRET}, apiUrl: ${origin}/api/ }
teams:
  - { id: payments, name: Payments, members: [ana, ben, cleo] }
people:
  - { id: ana, name: Ana Garcia, slack: U0ANA, timeZone: Europe/Berlin }
  - { id: ben, name: Ben Tanaka, slack: U0BEN, optOut: [reminders] }
  - { id: cleo, name: Cleo Eze, slack: U0CLEO, timeZone: America/Los_Angeles }
policy:
  actions:
    slack.dm.send: { mode: auto }
    slack.message.post: { mode: auto }
  reminders:
    reports: { teams: [payments], at: "17:00" }
`,
  );
  const synced = await runCli(['sync', '--only', 'config'], { cwd: dir, env: env() });
  expect(synced.code, synced.stderr).toBe(0);
});
afterAll(async () => {
  await new Promise((resolve) => slackApi.close(resolve));
  rmSync(root, { recursive: true, force: true });
});

const env = () => ({ ...process.env, SLACK_BOT_TOKEN: TOKEN, SLACK_SIGNING_SECRET: SECRET });

/** `teamstate serve --now NOW --debug` until `fn` is done. */
const serve = <T>(fn: (base: string, stderr: () => string) => Promise<T>) =>
  serveWhile({ cwd: dir, env: env(), args: ['--now', NOW, '--debug'] }, fn);

const posts = () => calls.filter((c) => c.path === '/api/chat.postMessage');

// Signed at serve's clock (--now), which is what the signature's age is checked against.
function command(text: string, user = 'U0ANA', secret = SECRET) {
  const rawBody = new URLSearchParams({
    ...(fixture('command.teamstate') as Record<string, string>),
    text,
    user_id: user,
    response_url: `${origin}/commands/T0ACME/1773855000/serve`,
  }).toString();
  return {
    rawBody,
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...signSlackRequest(secret, rawBody, Date.parse(NOW) / 1000) },
  };
}

describe('teamstate serve with Slack', () => {
  it('reminds who is due on its clock, once per person and day even after a restart, and answers /teamstate', async () => {
    const { stderr } = await serve(async (base, log) => {
      // Ana (18:30 in Berlin) is due; Ben opted out; Cleo's day is at 10:30 in Los Angeles.
      await until('the reminders pass', () => (/daily report reminders: 1 sent \(ana executed\)/.test(log()) ? true : undefined));
      expect(calls.filter((c) => c.path === '/api/conversations.open').map((c) => c.args.users)).toEqual(['U0ANA']);
      expect(posts().map((c) => [c.args.channel, c.args.text])).toEqual([['D0ANA', 'Your daily report for Wed 18 Mar is not in yet.']]);

      const unsigned = command('standup payments', 'U0ANA', 'not-the-secret');
      expect((await fetch(`${base}/webhooks/slack/commands`, { method: 'POST', ...unsigned, body: unsigned.rawBody })).status).toBe(401);
      const signed = command('standup');
      const ack = await fetch(`${base}/webhooks/slack/commands`, { method: 'POST', headers: signed.headers, body: signed.rawBody });
      expect(ack.status).toBe(200);
      expect(await ack.text()).toBe('');
      const answer = await until('the answer', () => calls.find((c) => c.path.startsWith('/commands/')));
      expect(answer.args).toMatchObject({ response_type: 'ephemeral', text: 'Standup for Payments, since Tue 17 Mar 17:30 UTC' });
      expect((answer.args.blocks as { text: { text: string } }[])[1]!.text.text).toBe('Ana Garcia\n  nothing recorded since then');
    });
    expect(stderr).not.toContain(TOKEN);
    expect(stderr).not.toContain(SECRET);

    // A restarted serve at the same time reminds nobody again.
    await serve((_, log) => until('the reminders pass', () => (/daily report reminders: 0 sent/.test(log()) ? true : undefined)));
    expect(posts()).toHaveLength(1);
  });
});
