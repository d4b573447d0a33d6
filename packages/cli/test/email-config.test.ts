import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { demo } from '@teamstate/connectors/demo';
import { createTeamState } from '@teamstate/core';
import { afterAll, describe, expect, it } from 'vitest';
import { startSmtpServer } from '../../connectors/test/helpers/smtp-server.js';
import { buildConnectors } from '../src/config/build-connectors.js';
import { loadConfig } from '../src/config/load-config.js';
import { runCli } from './run-cli.js';

const root = mkdtempSync(join(tmpdir(), 'teamstate-email-config-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const PASSWORD = 'smtp-pass-0d9f8e7a';
const write = (name: string, text: string) => {
  const folder = mkdtempSync(join(root, `${name}-`));
  writeFileSync(join(folder, 'teamstate.config.yaml'), text);
  return folder;
};

const config = (smtp: string, server = 'server: { publicUrl: https://teamstate.acme.example }\n') =>
  `${server}connectors:\n  email:\n    smtp: ${smtp}\n    from: teamstate <teamstate@acme.example>\n`;

describe('connectors.email in the config', () => {
  it('config check names a bad field and its fix', async () => {
    const folder = write('port', config('{ host: smtp.acme.example, port: five }'));
    const result = await runCli(['config', 'check'], { cwd: folder });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('connectors.email.smtp.port');
    expect(result.stderr).toContain('expected a port number, e.g. 587');
  });

  it('config check asks for server.publicUrl, where the approval emails link to', async () => {
    const folder = write('public-url', config('{ host: smtp.acme.example, port: 587 }', ''));
    const result = await runCli(['config', 'check'], { cwd: folder });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      'connectors.email: approval emails link to <server.publicUrl>/approvals/<id>: set server.publicUrl, e.g. https://teamstate.acme.example',
    );
  });

  it('config check passes a good section and masks the password', async () => {
    const folder = write('good', config('{ host: smtp.acme.example, port: 587, user: teamstate, password: ${SMTP_PASSWORD} }'));
    const result = await runCli(['config', 'check'], { cwd: folder, env: { SMTP_PASSWORD: PASSWORD } });
    expect(result.code, result.stderr).toBe(0);
    expect(`${result.stdout}${result.stderr}`).not.toContain(PASSWORD);
  });

  it('sends an approval request to each approver once, through the configured SMTP server', async () => {
    const smtp = await startSmtpServer({ user: 'teamstate', password: PASSWORD });
    try {
      const folder = write('send', config(`{ host: 127.0.0.1, port: ${smtp.port}, user: teamstate, password: \${SMTP_PASSWORD} }`));
      const loaded = loadConfig(join(folder, 'teamstate.config.yaml'), { SMTP_PASSWORD: PASSWORD });
      const connectors = await buildConnectors(loaded);
      const ts = await createTeamState({
        database: ':memory:',
        connectors: [demo(), ...connectors],
        policy: { actions: { 'demo.note.add': { mode: 'require_approval' } }, approvers: { low: ['dana', 'sam'] } } as never,
      });
      try {
        await ts.import({
          format: 'teamstate.bundle/v1',
          people: [
            { id: 'dana', name: 'Dana', email: 'dana@acme.example' },
            { id: 'sam', name: 'Sam', email: 'sam@acme.example' },
          ],
        });
        const approval = await ts.actions.propose({
          type: 'demo.note.add',
          target: 'PAY-12',
          params: { key: 'PAY-12', text: 'hello' },
          reason: 'a test',
          requestedBy: 'assistant',
        });
        await ts.approvals.publish();
        await ts.approvals.publish();
        expect(smtp.received.map((mail) => mail.to[0]).sort()).toEqual(['dana@acme.example', 'sam@acme.example']);
        for (const mail of smtp.received) expect(mail.data).toContain(`https://teamstate.acme.example/approvals/${approval.id}\n`);
      } finally {
        await ts.close();
      }
    } finally {
      await smtp.close();
    }
  });
});
