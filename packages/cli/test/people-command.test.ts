import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTeamState } from '@teamstate/core';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from './run-cli.js';

const dir = mkdtempSync(join(tmpdir(), 'teamstate-people-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('teamstate people', () => {
  it('lists unmatched accounts and links one to a person, merging the person made from it', async () => {
    const db = join(dir, 'people.db');
    const ts = await createTeamState({ database: `file:${db}` });
    await ts.resolvePeople([
      { provider: 'github', id: '1001', login: 'anag', email: 'ana@acme.example', name: 'Ana Garcia' },
      { provider: 'jira', id: '712020:0e5c1b7a', login: 'Ana G.', name: 'Ana G.' },
      { provider: 'jira', id: '5b10ac8d', login: 'Ben Okafor', email: 'ben@acme.example', name: 'Ben Okafor' },
    ]);
    await ts.close();

    const table = await runCli(['--db', db, 'people', 'unmatched']);
    expect(table.stderr).toBe('');
    expect(table.stdout).toBe(
      [
        'ACCOUNT               LOGIN       PERSON      EMAIL             NO ACCOUNT AT',
        'github:1001           anag        anag        ana@acme.example  jira',
        'jira:712020:0e5c1b7a  Ana G.      ana-g                         github',
        'jira:5b10ac8d         Ben Okafor  ben-okafor  ben@acme.example  github',
        '',
        'Link one to the right person with `teamstate people link <account> <person>`.',
        '',
      ].join('\n'),
    );
    const json = JSON.parse((await runCli(['--db', db, '--json', 'people', 'unmatched', '--provider', 'github'])).stdout);
    expect(json.map((a: { person: string }) => a.person)).toEqual(['anag']);

    const linked = await runCli(['--db', db, 'people', 'link', 'jira:712020:0e5c1b7a', 'ana@acme.example']);
    expect(linked.stdout).toBe('Linked jira:712020:0e5c1b7a (Ana G.) to anag (was ana-g, merged into it).\n');
    expect(JSON.parse((await runCli(['--db', db, '--json', 'people', 'link', 'Ben Okafor', 'anag'])).stdout)).toEqual({
      provider: 'jira',
      id: '5b10ac8d',
      login: 'Ben Okafor',
      person: 'anag',
      previousPerson: 'ben-okafor',
      merged: true,
    });
    // Ana now has both accounts; nothing is left unmatched.
    expect((await runCli(['--db', db, 'people', 'unmatched'])).stdout).toBe('No unmatched accounts.\n');

    const unknown = await runCli(['--db', db, 'people', 'link', 'jira:nope', 'anag']);
    expect([unknown.code, unknown.stderr]).toEqual([1, 'error: account "jira:nope" was not found in this workspace\n']);
    const bad = await runCli(['--db', db, 'people', 'unmatched', '--provider', 'gitlab']);
    expect([bad.code, bad.stderr]).toEqual([2, 'error: --provider: expected one of github, jira, slack, email, got "gitlab"\n']);
  });
});
