import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTeamState } from '@teamstate/core';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from './run-cli.js';

const dir = mkdtempSync(join(tmpdir(), 'teamstate-providers-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// Providers are open: a third-party connector's accounts (here `gitlab`) work like the built-in ones.
describe('teamstate people with a provider core does not list', () => {
  it('filters by it, links <provider>:<id> with it, and names the known providers for an unknown one', async () => {
    const db = join(dir, 'people.db');
    const ts = await createTeamState({ database: `file:${db}` });
    await ts.people.resolve([
      { provider: 'github', id: '1001', login: 'anag', email: 'ana@acme.example', name: 'Ana Garcia' },
      { provider: 'gitlab', id: '17:ana', login: 'ana.g', name: 'Ana G.' },
    ]);
    await ts.close();

    const unmatched = JSON.parse((await runCli(['--db', db, '--json', 'people', 'unmatched', '--provider', 'gitlab'])).stdout);
    expect(unmatched).toEqual([{ provider: 'gitlab', id: '17:ana', login: 'ana.g', person: 'ana-g', name: 'Ana G.', missing: ['github'] }]);
    expect((await runCli(['--db', db, 'people', 'link', 'gitlab:17:ana', 'anag'])).stdout).toBe(
      'Linked gitlab:17:ana (ana.g) to anag (was ana-g, merged into it).\n',
    );

    const unknown = await runCli(['--db', db, 'people', 'unmatched', '--provider', 'linear']);
    expect([unknown.code, unknown.stderr]).toEqual([
      2,
      'error: --provider: expected one of github, jira, slack, email, gitlab, got "linear"\n',
    ]);
    const malformed = await runCli(['--db', db, 'people', 'unmatched', '--provider', 'Git Lab']);
    expect([malformed.code, malformed.stderr]).toEqual([
      2,
      'error: --provider: expected a provider id: lowercase letters, digits, "-" and "_", starting with a letter or digit, at most 64 characters (e.g. "github", "gitlab"), got "Git Lab"\n',
    ]);
  });
});
