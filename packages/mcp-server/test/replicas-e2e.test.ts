import { type ChildProcess, spawn } from 'node:child_process';
import { appendFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { APPROVAL_ACTIONS } from '@teamstate/connectors/slack';
import { createTeamState } from '@teamstate/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clickPayload, SIGNING_SECRET, signedInteraction } from '../../connectors/test/helpers/slack-interaction.js';
import { type SqldServer, startSqld } from '../../core/test/helpers/sqld.js';
import { BIN, runCli } from './fixtures/cli.js';

// Several machines, one team database: a real libSQL server (sqld on 127.0.0.1, JWT auth) as the primary, and one
// `teamstate serve` (with Slack approvals), two `teamstate mcp` (stdio, the MCP SDK's client) and the CLI, each on its
// own embedded replica. Slack is a local server that accepts every call (serve's requests leave its process).

const dir = mkdtempSync(join(tmpdir(), 'teamstate-replicas-e2e-'));
const WORKSPACE = 'company';
let sqld: SqldServer;
let serve: ChildProcess | undefined;
let serveBase = '';
let slackApi: Server;
let slackOrigin = '';
const clients: Client[] = [];

/** A machine: its own folder, config and replica file of the shared primary (`extra`: more config lines). */
function machine(name: string, extra: string[] = []): { cwd: string; env: Record<string, string> } {
  const cwd = join(dir, name);
  mkdirSync(cwd);
  writeFileSync(
    join(cwd, 'teamstate.config.yaml'),
    [
      'database:',
      '  url: .teamstate/replica.db',
      `  syncUrl: ${sqld.url}`,
      // The config file's own reference to an environment variable, not a template.
      `  authToken: $\{TEAMSTATE_DB_AUTH_TOKEN}`,
      '  syncInterval: 0.5',
      `workspace: ${WORKSPACE}`,
      'connectors:',
      '  demo: {}',
      ...extra,
      '',
    ].join('\n'),
  );
  return { cwd, env: { TEAMSTATE_DB_AUTH_TOKEN: sqld.token!, HOME: cwd, SLACK_BOT_TOKEN: 'xoxb-replicas-e2e-token' } };
}

async function mcp(name: string): Promise<Client> {
  const { cwd, env } = machine(name);
  const client = new Client({ name, version: '1' });
  await client.connect(
    new StdioClientTransport({
      command: process.execPath,
      args: [BIN, 'mcp'],
      cwd,
      env: { ...(process.env as Record<string, string>), ...env },
      stderr: 'ignore',
    }),
  );
  clients.push(client);
  return client;
}

/** Starts `teamstate serve`, approvals in Slack, and resolves once it listens. */
function startServe(): Promise<void> {
  const { cwd, env } = machine('serve', [
    `  slack: { token: $\{SLACK_BOT_TOKEN}, signingSecret: ${SIGNING_SECRET}, apiUrl: ${slackOrigin}/api/, approvalChannel: C0APPROVALS }`,
  ]);
  serve = spawn(process.execPath, [BIN, 'serve', '--port', '0'], {
    cwd,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  return new Promise((resolve, reject) => {
    serve!.stderr!.on('data', (chunk: Buffer) => {
      stderr += chunk.toString('utf8');
      const listening = /http:\/\/127\.0\.0\.1:\d+/.exec(stderr);
      if (listening) {
        serveBase = listening[0];
        resolve();
      }
    });
    serve!.on('exit', (code) => reject(new Error(`serve exited with ${code}:\n${stderr}`)));
  });
}

const text = (result: unknown) => (result as { content: { type: string; text: string }[] }).content[0]!.text;
const json = (result: unknown) => (result as { structuredContent: Record<string, unknown> }).structuredContent;

/** The shared database as it is on the primary (not through a replica). */
async function onPrimary<T>(fn: (ts: Awaited<ReturnType<typeof createTeamState>>) => Promise<T>): Promise<T> {
  const ts = await createTeamState({ database: sqld.url, authToken: sqld.token, workspace: WORKSPACE });
  try {
    return await fn(ts);
  } finally {
    await ts.close();
  }
}

const note = (text: string) => ({
  name: 'propose_action',
  arguments: { type: 'demo.note.add', target: 'PAY-1', params: { key: 'PAY-1', text }, reason: 'tell the team' },
});

let first: Client;
let second: Client;
let admin: { cwd: string; env: Record<string, string> };

beforeAll(async () => {
  slackApi = createServer((request, response) => {
    request.resume();
    request.on('end', () => {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ ok: true, channel: 'C0APPROVALS', ts: '1772442000.000001' }));
    });
  });
  await new Promise<void>((resolve) => slackApi.listen(0, '127.0.0.1', resolve));
  slackOrigin = `http://127.0.0.1:${(slackApi.address() as AddressInfo).port}`;
  sqld = await startSqld({ auth: true });
  // The first machine sets the empty primary up with the demo organisation.
  admin = machine('admin');
  const demo = await runCli(['demo'], admin.cwd, admin.env);
  expect(demo.code, demo.stderr).toBe(0);
  [first, second] = await Promise.all([mcp('laptop-1'), mcp('laptop-2'), startServe()]);
});

afterAll(async () => {
  for (const client of clients) await client.close();
  if (serve && serve.exitCode === null) {
    const exited = new Promise((resolve) => serve!.once('exit', resolve));
    serve.kill('SIGTERM');
    await exited;
  }
  await sqld.stop();
  await new Promise((resolve) => slackApi.close(resolve));
  rmSync(dir, { recursive: true, force: true });
});

describe('one primary, a serve, two MCP servers and the CLI on their own replicas', () => {
  it('a proposal made through one MCP server, approved in Slack through serve, executes exactly once and releases await_approval there', async () => {
    const proposed = await first.callTool(note('Escalate the vendor sandbox'));
    expect(proposed.isError, text(proposed)).toBeFalsy();
    const id = String(json(proposed).id);
    const awaiting = first.callTool({ name: 'await_approval', arguments: { id, timeoutSeconds: 30 } });
    const person = (await onPrimary((ts) => ts.people.list({ team: 'payments' })))[0]!;
    const approver = person.id;
    const slackUser = person.accounts!.find((account) => account.provider === 'slack')!.id;
    // The approver clicks Approve in Slack: Slack posts the signed click to serve, on its own replica.
    const click = signedInteraction(clickPayload(id, slackUser, APPROVAL_ACTIONS.approve), new Date());
    const response = await fetch(`${serveBase}/webhooks/slack/interactivity`, {
      method: 'POST',
      headers: click.headers as Record<string, string>,
      body: click.rawBody,
    });
    expect(response.status).toBe(200);
    const awaited = json(await awaiting);
    expect(awaited).toMatchObject({ timedOut: false, id, status: 'executed', decidedBy: approver });
    // Both the waiting MCP server and serve's watch could run it: it ran once.
    const ledger = await onPrimary((ts) => ts.audit.list({ approvalId: id }));
    expect(ledger.filter((entry) => entry.type === 'approval.executing')).toHaveLength(1);
    expect(ledger.filter((entry) => entry.type === 'approval.executed')).toHaveLength(1);
    expect((await onPrimary((ts) => ts.audit.verify())).ok).toBe(true);
    // The other MCP server sees the outcome from its own replica.
    await expect
      // Polled until the test's own timeout, not a few seconds: a loaded machine syncs a replica later.
      .poll(async () => json(await second.callTool({ name: 'get_approval', arguments: { id } })).status, { timeout: 60_000, interval: 100 })
      .toBe('executed');
  });

  it('a sync on one machine is visible to the MCP servers after their sync interval', async () => {
    // The admin's config gains a person; `teamstate sync` writes it to the primary through the admin's replica.
    appendFileSync(join(admin.cwd, 'teamstate.config.yaml'), 'people:\n  - { id: zora-newcomer, name: Zora Newcomer }\n');
    const synced = await runCli(['sync', '--only', 'config'], admin.cwd, admin.env);
    expect(synced.code, synced.stderr).toBe(0);
    for (const client of [first, second]) {
      await expect
        .poll(async () => JSON.stringify(json(await client.callTool({ name: 'list_people', arguments: { search: 'zora' } }))), {
          timeout: 60_000,
          interval: 100,
        })
        .toContain('zora-newcomer');
    }
  });

  it('killing the primary mid-write loses nothing acknowledged; clients get a clear error until it is back', async () => {
    const acknowledged: string[] = [];
    const errors: string[] = [];
    let killed = false;
    for (let i = 0; i < 40; i++) {
      // Writes keep coming while the primary dies under them.
      if (i === 10) {
        void sqld.kill();
        killed = true;
      }
      const result = await second.callTool(note(`note ${i}`));
      if (result.isError) errors.push(text(result));
      else acknowledged.push(String(json(result).id));
      if (killed && errors.length >= 2) break;
    }
    expect(acknowledged.length).toBeGreaterThanOrEqual(10);
    expect(errors.length).toBeGreaterThanOrEqual(2);
    for (const message of errors) {
      expect(message).toMatch(/the libSQL server http:\/\/127\.0\.0\.1:\d+ is unreachable \(.*\): nothing was written/);
      expect(message).not.toContain(sqld.token!);
    }
    // Reads keep working from the replica meanwhile.
    const people = await second.callTool({ name: 'list_people', arguments: { search: 'zora' } });
    expect(people.isError, text(people)).toBeFalsy();
    await sqld.restart();
    const after = await second.callTool(note('after the restart'));
    expect(after.isError, text(after)).toBeFalsy();
    acknowledged.push(String(json(after).id));
    const stored = new Set(
      (await onPrimary((ts) => ts.approvals.list({ type: 'demo.note.add', limit: 200 }))).map((approval) => approval.id),
    );
    for (const id of acknowledged) expect(stored.has(id), id).toBe(true);
    expect((await onPrimary((ts) => ts.audit.verify())).ok).toBe(true);
  });
});
