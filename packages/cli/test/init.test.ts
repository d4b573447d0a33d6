import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parsePolicyText } from '@teamstate/core';
import { afterAll, describe, expect, it } from 'vitest';
import { plain, runInTerminal } from './pty.js';
import { runCli } from './run-cli.js';

const root = mkdtempSync(join(tmpdir(), 'teamstate-init-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const folder = (name: string) => {
  const dir = join(root, name);
  mkdirSync(dir);
  return dir;
};

describe('teamstate init', () => {
  it('writes a valid config and starter policy without asking when not on a terminal', async () => {
    const dir = folder('piped');
    const result = await runCli(['init'], { cwd: dir });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`wrote ${join(dir, 'teamstate.config.yaml')}`);
    const policy = parsePolicyText(readFileSync(join(dir, 'policy.yaml'), 'utf8'));
    expect(policy.approvers?.high).toEqual(['team:my-team']);
    const check = await runCli(['config', 'check'], { cwd: dir });
    expect(check.code).toBe(0);
    expect(check.stdout).toContain('database   file:');
  });

  it('refuses to overwrite an existing config without --force', async () => {
    const dir = folder('existing');
    writeFileSync(join(dir, 'teamstate.config.yaml'), 'workspace: mine\n');
    const result = await runCli(['init', '--yes'], { cwd: dir });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('already exists (edit it, or run `teamstate init --force` to overwrite it)');
    expect(readFileSync(join(dir, 'teamstate.config.yaml'), 'utf8')).toBe('workspace: mine\n');
    expect((await runCli(['init', '--yes', '--force'], { cwd: dir })).code).toBe(0);
    expect(readFileSync(join(dir, 'teamstate.config.yaml'), 'utf8')).toContain('policy: ./policy.yaml');
  });

  it('asks which sources to connect on a terminal and writes only ${ENV} references for secrets', async () => {
    const dir = folder('interactive');
    const { code, screen } = await runInTerminal(['init'], dir, [
      [/Which sources should teamstate connect\?/, ' '], // select GitHub
      [/GitHub/, '\r'], // the list redrawn with GitHub selected
      [/Your team’s name/, 'Payments\r'],
      [/Team id/, '\r'],
      [/GitHub organisation/, 'acme\r'],
      [/Repositories your team owns/, 'acme/api, acme/ledger\r'],
    ]);
    expect(screen).toContain('wrote');
    expect(code).toBe(0);
    const config = readFileSync(join(dir, 'teamstate.config.yaml'), 'utf8');
    expect(config).toContain('token: ${GITHUB_TOKEN}');
    expect(config).toContain('org: acme');
    expect(config).toMatch(/id: payments\n\s+name: Payments\n\s+repositories:\n\s+- acme\/api\n\s+- acme\/ledger/);
    expect(readFileSync(join(dir, 'policy.yaml'), 'utf8')).toContain('high: [team:payments]');
  });

  it('offers GitLab: its instance, groups and the team s projects, with the merge held for approval', async () => {
    const dir = folder('interactive-gitlab');
    const { code, screen } = await runInTerminal(['init'], dir, [
      [/Which sources should teamstate connect\?/, '\x1b[B'], // down to GitLab
      [/GitLab/, ' '], // select it
      [/◉/, '\r'], // the list redrawn with GitLab selected
      [/Your team’s name/, 'Shop\r'],
      [/Team id/, '\r'],
      [/GitLab instance/, 'https://gitlab.example.com\r'],
      [/GitLab groups to sync/, 'acme\r'],
      [/GitLab projects your team owns/, 'acme/checkout, acme/platform/api\r'],
    ]);
    expect(code, plain(screen)).toBe(0);
    expect(plain(screen)).toContain('export GITLAB_TOKEN=… GITLAB_WEBHOOK_SECRET=…');
    const config = readFileSync(join(dir, 'teamstate.config.yaml'), 'utf8');
    expect(config).toMatch(
      /gitlab:\n\s+token: \$\{GITLAB_TOKEN\}\n\s+baseUrl: https:\/\/gitlab.example.com\n\s+groups:\n\s+- acme\n\s+webhookSecret: \$\{GITLAB_WEBHOOK_SECRET\}/,
    );
    expect(config).toMatch(/id: shop\n\s+name: Shop\n\s+repositories:\n\s+- acme\/checkout\n\s+- acme\/platform\/api/);
    const policy = parsePolicyText(readFileSync(join(dir, 'policy.yaml'), 'utf8'));
    expect(policy.actions?.['gitlab.mr.merge']).toEqual({ risk: 'high', mode: 'require_approval' });
    const check = await runCli(['config', 'check'], { cwd: dir, env: { GITLAB_TOKEN: 'glpat-x', GITLAB_WEBHOOK_SECRET: 's' } });
    expect(check.stderr).toBe('');
    expect(check.code).toBe(0);
  });
});

describe('teamstate sync on a terminal', () => {
  it('shows a progress line per connector and a summary', async () => {
    const dir = folder('progress');
    writeFileSync(join(dir, 'teamstate.config.yaml'), 'database: team.db\nconnectors:\n  demo: { scale: default }\n');
    const { code, screen: raw } = await runInTerminal(['sync'], dir, []);
    const screen = plain(raw);
    expect(code).toBe(0);
    expect(screen).toMatch(/demo\s+\S*(work items|deployments|generating)/);
    expect(screen).toMatch(/[\d,]+ items/);
    expect(screen).toMatch(/demo\s+\S*done/);
    expect(screen).toMatch(/✓.*demo\s+succeeded\s+\d{3,} records in \d+ batches/);
  });

  it('Ctrl-C at a prompt exits 130 without an error line, and writes nothing (issue 17)', async () => {
    const dir = folder('interrupted');
    const { code, screen } = await runInTerminal(['init'], dir, [[/Which sources should teamstate connect\?/, '\x03']]);
    expect(code).toBe(130);
    expect(plain(screen)).not.toMatch(/error|Error|at .*\.js:\d+/);
    expect(existsSync(join(dir, 'teamstate.config.yaml'))).toBe(false);
    expect(existsSync(join(dir, 'policy.yaml'))).toBe(false);
  });

  it('Ctrl-D at a prompt exits cleanly with a message, and writes nothing', async () => {
    const dir = folder('end-of-input');
    const { code, screen } = await runInTerminal(['init'], dir, [
      [/Which sources should teamstate connect\?/, '\r'],
      [/Your team’s name/, '\x04'],
    ]);
    expect(plain(screen)).toContain('init: input ended (Ctrl-D) before the questions were answered; nothing was written');
    expect(plain(screen)).not.toMatch(/unsettled top-level await|Warning|at .*\.js:\d+/);
    expect(code).toBe(130);
    expect(existsSync(join(dir, 'teamstate.config.yaml'))).toBe(false);
  });

  it('Ctrl-C at a later question of init --force prints at most a newline, and leaves the existing config as it was (issue 17)', async () => {
    const dir = folder('interrupted-force');
    writeFileSync(join(dir, 'teamstate.config.yaml'), 'workspace: mine\n');
    const { code, screen } = await runInTerminal(
      ['init', '--force'],
      dir,
      [
        [/Which sources should teamstate connect\?/, '\r'],
        [/Your team’s name/, 'Payments\r'],
        [/Team id/, '\x03'],
      ],
      // A shell that prints nothing of its own when the program is interrupted.
      { SHELL: '/bin/sh' },
    );
    expect(code).toBe(130);
    // After the last question, nothing but line breaks (and the terminal's cursor codes).
    const afterQuestion = plain(screen).slice(plain(screen).lastIndexOf('Team id'));
    expect(afterQuestion).toMatch(/^Team id \(payments\)\s*$/);
    expect(plain(screen)).not.toMatch(/error|Error|at .*\.js:\d+/);
    expect(readFileSync(join(dir, 'teamstate.config.yaml'), 'utf8')).toBe('workspace: mine\n');
    expect(existsSync(join(dir, 'policy.yaml'))).toBe(false);
  });
});

describe('teamstate init with Linear', () => {
  it('offers Linear: its API key and webhook secret as ${ENV} references, the team keys on the team', async () => {
    const dir = folder('linear');
    const { code, screen } = await runInTerminal(['init'], dir, [
      [/Which sources should teamstate connect\?/, '\x1b[B'], // down to GitLab
      [/GitLab/, '\x1b[B'], // down to Jira
      [/Jira/, '\x1b[B'], // down to Linear
      [/Linear/, ' '], // select it
      [/Linear/, '\r'],
      [/Your team’s name/, 'Payments\r'],
      [/Team id/, '\r'],
      [/Linear team keys/, 'pay, ops\r'],
    ]);
    expect(screen).toContain('LINEAR_API_KEY');
    expect(code).toBe(0);
    const config = readFileSync(join(dir, 'teamstate.config.yaml'), 'utf8');
    expect(config).toMatch(
      /linear:\n\s+apiKey: \$\{LINEAR_API_KEY\}\n\s+teams:\n\s+- PAY\n\s+- OPS\n\s+webhookSecret: \$\{LINEAR_WEBHOOK_SECRET\}/,
    );
    expect(config).toMatch(/linearTeams:\n\s+- PAY\n\s+- OPS/);
    const check = await runCli(['config', 'check'], { cwd: dir, env: { LINEAR_API_KEY: 'lin_api_x', LINEAR_WEBHOOK_SECRET: 's' } });
    expect(check.stderr).toBe('');
    expect(check.code).toBe(0);
  });
});
