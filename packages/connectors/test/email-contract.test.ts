import { email } from '@teamstate/connectors/email';
import { createTeamState, type Logger, type TeamState } from '@teamstate/core';
import { connectorContract } from '@teamstate/core/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { startSmtpServer, type TestSmtpServer } from './helpers/smtp-server.js';

// The email connector under the contract every connector runs (it syncs no records: its sync checks the SMTP server),
// and the checks a connector owes besides: a bad field named, a fast failure naming the server and the cause, and its
// secrets in no error, result or log. The SMTP server is a real one on 127.0.0.1.
const PASSWORD = 'smtp-secret-5f1e2d';
const PUBLIC_URL = 'https://teamstate.acme.example';
let contractServer: TestSmtpServer | undefined;

connectorContract({
  name: 'email',
  create: () =>
    email({
      smtp: { host: '127.0.0.1', port: contractServer?.port ?? 1, user: 'teamstate', password: PASSWORD },
      from: 'teamstate@acme.example',
      publicUrl: PUBLIC_URL,
    }),
  records: false,
  setup: async () => {
    contractServer = await startSmtpServer({ user: 'teamstate', password: PASSWORD });
  },
  teardown: () => contractServer?.close(),
  bundle: { people: [{ id: 'ana', name: 'Ana', email: 'ana@acme.example' }] },
  actions: [
    { type: 'email.send', target: 'ana', invalid: { to: 'Ana <ana@acme.example>', subject: 'Hi', text: 'Hello' }, invalidField: 'to' },
    {
      type: 'email.send',
      target: 'ana',
      invalid: { to: 'ana@acme.example', subject: 'Hi\r\nBcc: all@acme.example', text: 'Hello' },
      invalidField: 'subject',
    },
    // A C1 control character (NEL, U+0085), which emailSubject() also takes out of a subject.
    {
      type: 'email.send',
      target: 'ana',
      invalid: { to: 'ana@acme.example', subject: 'Hi\u0085there', text: 'Hello' },
      invalidField: 'subject',
    },
  ],
});

/** A logger that keeps every line, to prove what never reaches the logs. */
function keptLogger(lines: string[]): Logger {
  const keep = (message: string, fields?: Record<string, unknown>) => void lines.push(`${message} ${JSON.stringify(fields ?? {})}`);
  return { debug: keep, info: keep, warn: keep, error: keep };
}

const open: TeamState[] = [];
const servers: TestSmtpServer[] = [];
afterEach(async () => {
  for (const ts of open.splice(0)) await ts.close();
  for (const server of servers.splice(0)) await server.close();
});

describe('the email connector besides the contract', () => {
  it('names a bad field and its fix', () => {
    expect(() => email({ smtp: { host: 'smtp.acme.example', port: 0 }, from: 'teamstate@acme.example', publicUrl: PUBLIC_URL })).toThrow(
      'email.smtp.port: expected a port number from 1 to 65535, e.g. 587 (got 0)',
    );
  });

  it('fails a sync at once when the server refuses the connection, naming it and the cause, never the password', async () => {
    const closed = await startSmtpServer();
    const port = closed.port;
    await closed.close();
    const lines: string[] = [];
    const ts = await createTeamState({
      database: ':memory:',
      logger: keptLogger(lines),
      connectors: [
        email({
          smtp: { host: '127.0.0.1', port, user: 'teamstate', password: PASSWORD },
          from: 'teamstate@acme.example',
          publicUrl: PUBLIC_URL,
        }),
      ],
    });
    open.push(ts);
    const report = await ts.sync();
    expect(report.ok).toBe(false);
    expect(report.connectors[0]?.error?.message).toBe(`email: cannot reach the SMTP server smtp://127.0.0.1:${port}: ECONNREFUSED`);
    expect(`${JSON.stringify(report)}\n${lines.join('\n')}`).not.toContain(PASSWORD);
  });

  it('keeps the password out of a failed send: its error, the approval and the logs', async () => {
    const server = await startSmtpServer({ user: 'teamstate', password: 'the-right-one-9c1' });
    servers.push(server);
    const lines: string[] = [];
    const ts = await createTeamState({
      database: ':memory:',
      logger: keptLogger(lines),
      connectors: [
        email({
          smtp: { host: '127.0.0.1', port: server.port, user: 'teamstate', password: PASSWORD },
          from: 'teamstate@acme.example',
          publicUrl: PUBLIC_URL,
        }),
      ],
      policy: { actions: { 'email.send': { mode: 'auto', risk: 'low' } } },
    });
    open.push(ts);
    const approval = await ts.actions.propose({
      type: 'email.send',
      target: 'ana',
      params: { to: 'ana@acme.example', subject: 'Nudge', text: 'A review waits.' },
      reason: 'contract',
      requestedBy: 'teamstate-nudges',
    });
    expect(approval.status).toBe('failed');
    const stored = JSON.stringify(await ts.approvals.get(approval.id));
    expect(stored).toContain('the sign-in was refused (check smtp.user and smtp.password)');
    expect(`${stored}\n${lines.join('\n')}`).not.toContain(PASSWORD);
    expect(server.received).toEqual([]);
  });
});
