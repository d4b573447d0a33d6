import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { demoBundle } from '@teamstate/connectors/demo';
import { createTeamState } from '@teamstate/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from './run-cli.js';

// A mistyped workspace, team or flag, or an empty config, is an error that says so: never an all-clear answer.
const dir = mkdtempSync(join(tmpdir(), 'teamstate-silent-answers-'));
const db = join(dir, 'team.db');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

beforeAll(async () => {
  const ts = await createTeamState({ database: db });
  await ts.import(demoBundle({ now: new Date('2026-03-10T12:00:00Z') }));
  await ts.close();
});

const run = (args: string[]) => runCli(['--db', db, ...args], { cwd: dir });

describe('an unknown workspace', () => {
  it.each([[['signals']], [['metrics']], [['report', 'list']]])('is refused by %j with the known ones', async (args) => {
    const result = await run(['--workspace', 'nope', ...args]);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe('error: --workspace: unknown workspace "nope"; known: default\n');
  });

  it('suggests the closest workspace, and --json prints the error object', async () => {
    const result = await run(['--json', '--workspace', 'defualt', 'signals']);
    expect(result.code).toBe(1);
    expect(JSON.parse(result.stdout)).toEqual({
      ok: false,
      error: { code: 'invalid_argument', message: '--workspace: unknown workspace "defualt" (did you mean "default"?); known: default' },
    });
  });

  it('is fine in an empty store, where no workspace has anything yet', async () => {
    const empty = join(dir, 'empty.db');
    await (await createTeamState({ database: empty })).close();
    const result = await runCli(['--db', empty, '--workspace', 'fresh', 'signals'], { cwd: dir });
    expect(result.code, result.stderr).toBe(0);
  });
});

describe('an unknown team', () => {
  it.each([
    [['ai-impact', '--team', 'paymnets']],
    [['knowledge', 'who-knows', 'refunds', '--team', 'paymnets']],
    [['knowledge', 'search', 'refunds', '--team', 'paymnets']],
  ])('is refused by %j with the closest team', async (args) => {
    const result = await run(args);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/^error: team: unknown team "paymnets" \(did you mean "payments"\?\)/);
  });
});

describe('an empty config file', () => {
  it.each([[''], ['# nothing yet\n'], ['\n\n']])('is a problem config check names (%j)', async (text) => {
    const project = mkdtempSync(join(dir, 'empty-config-'));
    writeFileSync(join(project, 'teamstate.config.yaml'), text);
    const result = await runCli(['config', 'check'], { cwd: project });
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain(`${join(project, 'teamstate.config.yaml')} is empty`);
    expect(result.stderr).toContain('teamstate init --force');
  });
});

describe('mcp flags that need --http', () => {
  it.each([
    [['--port', '8787']],
    [['--host', '0.0.0.0']],
    [['--allowed-host', 'teamstate.acme.internal']],
    [['--allowed-origin', 'https://app.example']],
  ])('mcp %j without --http is a usage error saying to add --http', async (flags) => {
    // A subprocess whose stdin is closed at once: a server started over stdio would end there, not hang the test.
    const result = await runCli(['--db', db, 'mcp', ...flags], { cwd: dir, input: '' });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`${flags[0]}: needs --http`);
  });
});

describe('argument errors under --json', () => {
  it.each([
    [['--json', 'improt'], /^unknown command 'improt'/],
    [['--json', 'signals', '--limt', '3'], /^unknown option '--limt'/],
    [['--json', 'signals', '--limit'], /^option '--limit <n>' argument missing/],
    [['--json', 'report', 'search'], /^missing required argument 'query'/],
  ])('%j prints one JSON error object on stdout, exit 2', async (args, message) => {
    mkdirSync(join(dir, 'cwd'), { recursive: true });
    const result = await runCli(args, { cwd: join(dir, 'cwd') });
    expect(result.code).toBe(2);
    const printed = JSON.parse(result.stdout) as { ok: boolean; error: { code: string; message: string } };
    expect(printed.ok).toBe(false);
    expect(printed.error.code).toBe('usage_error');
    expect(printed.error.message).toMatch(message);
    // Printed once: the JSON document, not also commander's lines on stderr.
    expect(result.stderr).toBe('');
  });
});
