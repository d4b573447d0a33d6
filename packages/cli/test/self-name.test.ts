import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { selfNameFor } from '../src/self-command.js';
import { spawnCli } from './run-cli.js';

// Finding 5: from a clone, `teamstate` is on no PATH, so every command the CLI suggests is written as it runs there:
// `./teamstate …` in the clone's root (its launcher), `teamstate …` everywhere else.
const root = fileURLToPath(new URL('../../..', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'teamstate-self-name-'));
const db = join(dir, 'demo.db');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the name the CLI gives itself in what it suggests', () => {
  it('is ./teamstate when it runs from the packages/cli of a clone and the working folder is its root, else teamstate', () => {
    const clone = '/home/me/teamstate';
    const files = new Set([`${clone}/teamstate`, `${clone}/pnpm-workspace.yaml`]);
    const exists = (path: string) => files.has(path);
    const built = `${clone}/packages/cli/dist/bin.js`;
    expect(selfNameFor(clone, built, exists)).toBe('./teamstate');
    expect(selfNameFor(`${clone}/`, built, exists)).toBe('./teamstate');
    // Elsewhere in the clone, in another folder, or as an installed package (no launcher beside it): teamstate.
    expect(selfNameFor(`${clone}/packages/cli`, built, exists)).toBe('teamstate');
    expect(selfNameFor('/home/me/acme', built, exists)).toBe('teamstate');
    expect(selfNameFor('/home/me/acme', '/home/me/acme/node_modules/@teamstate/cli/dist/bin.js', exists)).toBe('teamstate');
    expect(selfNameFor(clone, built, () => false)).toBe('teamstate');
    // The sources, as the in-process tests run them: teamstate, wherever the tests run from.
    expect(selfNameFor(clone, `${clone}/packages/cli/src/self-command.ts`, exists)).toBe('teamstate');
  });

  // The built CLI, as `./teamstate` and `pnpm demo` run it.
  it('the demo, run in the root of this clone, prints ./teamstate in every command it suggests', () => {
    const result = spawnCli(['--db', db, '--now', '2026-11-23T09:30:00Z', 'demo'], { cwd: root });
    expect(result.code, result.stderr).toBe(0);
    const suggested = result.stdout.split('\n').filter((line) => /\bteamstate (--db|approvals|metrics|signals)/.test(line));
    expect(suggested.length).toBeGreaterThanOrEqual(6);
    for (const line of suggested) expect(line).toMatch(/(^|\s)\.\/teamstate /);
    expect(result.stdout).toMatch(/approve it: \.\/teamstate --db \S+ approvals approve apr_\w+ --as \S+/);
    expect(result.stdout).toMatch(/^ {2}\.\/teamstate --db \S+ signals /m);
  });

  it('elsewhere, the same demo prints teamstate', () => {
    const result = spawnCli(['--db', db, '--now', '2026-11-23T09:30:00Z', 'demo'], { cwd: dir });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/approve it: teamstate --db /);
    expect(result.stdout).toMatch(/^ {2}teamstate --db \S+ signals /m);
    expect(result.stdout).not.toContain('./teamstate');
  });

  it('errors and help from the root of the clone suggest ./teamstate, and only there', () => {
    const missing = spawnCli(['--db', 'no-such-folder/missing.db', 'signals'], { cwd: root });
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('create one with ./teamstate demo, ./teamstate import <file> or ./teamstate sync');
    const elsewhere = spawnCli(['--db', 'no-such-folder/missing.db', 'signals'], { cwd: dir });
    expect(elsewhere.stderr).toContain('create one with teamstate demo, teamstate import <file> or teamstate sync');

    const help = spawnCli(['signals', '--help'], { cwd: root });
    expect(help.stdout).toContain('Usage: ./teamstate signals');
    expect(help.stdout).toContain('$ ./teamstate signals --team payments');
    expect(spawnCli(['signals', '--help'], { cwd: dir }).stdout).toContain('$ teamstate signals --team payments');
  });
});
