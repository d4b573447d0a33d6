import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { demo } from '@teamstate/connectors/demo';
import { email } from '@teamstate/connectors/email';
import { createTeamState, type TeamState } from '@teamstate/core';
import { afterEach, describe, expect, it } from 'vitest';
import { startSmtpServer, type TestSmtpServer } from './helpers/smtp-server.js';

const PUBLIC_URL = 'https://teamstate.acme.example';
const T0 = new Date('2026-03-02T09:00:00Z');

/** Ana and Lee lead (Ana also on Slack); Sam leads without an email address; Ben asks. */
const bundle = {
  format: 'teamstate.bundle/v1',
  teams: [{ id: 'leads', name: 'Leads' }],
  people: [
    { id: 'ana', name: 'Ana', email: 'ana@acme.example', teams: ['leads'], accounts: [{ provider: 'slack', id: 'U0ANA' }] },
    { id: 'lee', name: 'Lee', email: 'lee@acme.example', teams: ['leads'] },
    { id: 'sam', name: 'Sam', teams: ['leads'] },
    { id: 'ben', name: 'Ben', email: 'ben@acme.example', teams: ['leads'] },
  ],
};
const policy = { actions: { 'demo.note.add': { risk: 'high', mode: 'require_approval' } }, approvers: { high: ['team:leads'] } };
const note = {
  type: 'demo.note.add',
  target: 'PAY-12',
  params: { key: 'PAY-12', text: 'Ship it on Friday' },
  reason: 'the release note\r\nBcc: everyone@acme.example',
  requestedBy: 'ben',
};

const servers: TestSmtpServer[] = [];
const open: TeamState[] = [];
const folders: string[] = [];
afterEach(async () => {
  for (const ts of open.splice(0)) await ts.close();
  for (const server of servers.splice(0)) await server.close();
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
});

async function smtp(credentials?: { user: string; password: string }) {
  const server = await startSmtpServer(credentials);
  servers.push(server);
  return server;
}

async function teamState(port: number, extra: { slackConfigured?: boolean; database?: string } = {}) {
  const ts = await createTeamState({
    database: extra.database ?? ':memory:',
    connectors: [
      demo(),
      email({
        smtp: { host: '127.0.0.1', port },
        from: 'teamstate <teamstate@acme.example>',
        publicUrl: PUBLIC_URL,
        slackConfigured: extra.slackConfigured,
      }),
    ],
    policy: policy as never,
    clock: () => T0,
  });
  open.push(ts);
  return ts;
}

describe('approval requests by email', () => {
  it('reaches each approver with an address once, linking to the approval page with no credential in the link', async () => {
    const server = await smtp();
    const ts = await teamState(server.port);
    await ts.import(bundle);
    const approval = await ts.actions.propose(note);
    const first = await ts.approvals.publish();
    expect(first.failed).toEqual([]);
    expect(first.shown).toEqual([approval.id, approval.id]);
    // Later passes send nothing more, decided or not.
    await ts.approvals.publish();
    await ts.approvals.decide(approval.id, { decision: 'decline', by: 'lee', reason: 'not now' });
    await ts.approvals.publish();
    expect(server.received.map((mail) => mail.to).sort()).toEqual([['ana@acme.example'], ['lee@acme.example']]);
    for (const mail of server.received) {
      expect(mail.from).toBe('teamstate@acme.example');
      expect(mail.data).toContain('Subject: Approval needed: demo.note.add on PAY-12');
      expect(mail.data).toContain('ben proposes demo.note.add on PAY-12 (risk: high).');
      expect(mail.data).toContain(`${PUBLIC_URL}/approvals/${approval.id}\n`);
      // The reason is the proposer's text: one line, no header of its own.
      expect(mail.data).toContain('Why: the release note Bcc: everyone@acme.example');
      expect(mail.data).not.toMatch(/^Bcc:/m);
      const links = mail.data.match(/https:\/\/\S+/g) ?? [];
      expect(links).toEqual([`${PUBLIC_URL}/approvals/${approval.id}`]);
    }
  });

  it('sends one message per approver when two processes publish the same approval', async () => {
    const server = await smtp();
    const dir = mkdtempSync(join(tmpdir(), 'teamstate-email-'));
    folders.push(dir);
    const database = `${dir}/team.db`;
    const one = await teamState(server.port, { database });
    await one.import(bundle);
    const other = await teamState(server.port, { database });
    const approval = await one.actions.propose(note);
    await Promise.all([one.approvals.publish(), other.approvals.publish()]);
    await Promise.all([one.approvals.publish(), other.approvals.publish()]);
    expect(server.received.map((mail) => mail.to[0]).sort()).toEqual(['ana@acme.example', 'lee@acme.example']);
    expect(server.received.every((mail) => mail.data.includes(`/approvals/${approval.id}`))).toBe(true);
  });

  it('leaves approvers with a Slack account to Slack when the Slack connector is configured too', async () => {
    const server = await smtp();
    const ts = await teamState(server.port, { slackConfigured: true });
    await ts.import(bundle);
    await ts.actions.propose(note);
    await ts.approvals.publish();
    expect(server.received.map((mail) => mail.to)).toEqual([['lee@acme.example']]);
  });

  it('signs in with smtp.user and smtp.password', async () => {
    const server = await smtp({ user: 'teamstate', password: 's3cret-pass' });
    const connector = email({
      smtp: { host: '127.0.0.1', port: server.port, user: 'teamstate', password: 's3cret-pass' },
      from: 'teamstate@acme.example',
      publicUrl: PUBLIC_URL,
    });
    const ts = await createTeamState({ database: ':memory:', connectors: [demo(), connector], policy: policy as never, clock: () => T0 });
    open.push(ts);
    await ts.import(bundle);
    await ts.actions.propose(note);
    expect((await ts.approvals.publish()).failed).toEqual([]);
    expect(server.received.map((mail) => mail.user)).toEqual(['teamstate', 'teamstate']);
  });
});

describe('the SMTP server, checked by sync', () => {
  it('passes when the server answers and accepts the sign-in', async () => {
    const server = await smtp({ user: 'teamstate', password: 's3cret-pass' });
    const connector = email({
      smtp: { host: '127.0.0.1', port: server.port, user: 'teamstate', password: 's3cret-pass' },
      from: 'teamstate@acme.example',
      publicUrl: PUBLIC_URL,
    });
    const ts = await createTeamState({ database: ':memory:', connectors: [connector], clock: () => T0 });
    open.push(ts);
    const report = await ts.sync();
    expect(JSON.stringify(report)).not.toContain('error');
  });

  it('names the server when it refuses the connection, and never the password', async () => {
    const closed = await smtp();
    const port = closed.port;
    await closed.close();
    servers.splice(0);
    const connector = email({
      smtp: { host: '127.0.0.1', port, user: 'teamstate', password: 's3cret-pass' },
      from: 'teamstate@acme.example',
      publicUrl: PUBLIC_URL,
    });
    const error = await connector.sync({ progress: () => {} } as never).then(
      () => undefined,
      (caught: Error) => caught,
    );
    expect(error?.message).toBe(`email: cannot reach the SMTP server smtp://127.0.0.1:${port}: ECONNREFUSED`);
    expect(error?.message).not.toContain('s3cret');
  });

  it('says the sign-in was refused, naming the server and never the password', async () => {
    const server = await smtp({ user: 'teamstate', password: 's3cret-pass' });
    const connector = email({
      smtp: { host: '127.0.0.1', port: server.port, user: 'teamstate', password: 'wrong-pass-771' },
      from: 'teamstate@acme.example',
      publicUrl: PUBLIC_URL,
    });
    const error = await connector.sync({ progress: () => {} } as never).then(
      () => undefined,
      (caught: Error) => caught,
    );
    expect(error?.message).toBe(
      `email: cannot reach the SMTP server smtp://127.0.0.1:${server.port}: the sign-in was refused (check smtp.user and smtp.password)`,
    );
    expect(error?.message).not.toContain('wrong-pass-771');
  });

  it('gives up on a server that never greets after the time allowed, naming it', async () => {
    const silent = createServer((socket: Socket) => socket.on('error', () => {}));
    const sockets: Socket[] = [];
    silent.on('connection', (socket) => sockets.push(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const port = (silent.address() as { port: number }).port;
    try {
      const connector = email({ smtp: { host: '127.0.0.1', port }, from: 'teamstate@acme.example', publicUrl: PUBLIC_URL, timeoutMs: 300 });
      await expect(connector.sync({ progress: () => {} } as never)).rejects.toThrow(
        `email: cannot reach the SMTP server smtp://127.0.0.1:${port}: no answer within 0.3 s`,
      );
    } finally {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => silent.close(() => resolve()));
    }
  });

  it('bounds every wait by 15 s unless told otherwise', async () => {
    const { resolveEmailOptions } = await import('../src/email/options.js');
    expect(
      resolveEmailOptions({ smtp: { host: 'smtp.acme.example', port: 587 }, from: 'a@acme.example', publicUrl: PUBLIC_URL }).timeoutMs,
    ).toBe(15_000);
  });
});

describe('email options', () => {
  const valid = { smtp: { host: 'smtp.acme.example', port: 587 }, from: 'teamstate@acme.example', publicUrl: PUBLIC_URL };
  it.each<[string, Record<string, unknown>, string]>([
    ['a port that is not one', { ...valid, smtp: { host: 'smtp.acme.example', port: 70000 } }, 'email.smtp.port: expected a port number'],
    ['a host with a scheme', { ...valid, smtp: { host: 'smtp://smtp.acme.example', port: 587 } }, 'email.smtp.host: expected'],
    [
      'a user without a password',
      { ...valid, smtp: { host: 'smtp.acme.example', port: 587, user: 'teamstate' } },
      'email.smtp.password: set both',
    ],
    ['a sender that is no address', { ...valid, from: 'teamstate' }, 'email.from: expected the sender address'],
    [
      'no server.publicUrl',
      { ...valid, publicUrl: '' },
      'email: approval emails link to <server.publicUrl>/approvals/<id>: set server.publicUrl',
    ],
  ])('refuses %s, naming the field', (_, options, message) => {
    expect(() => email(options as never)).toThrow(message);
  });
});
