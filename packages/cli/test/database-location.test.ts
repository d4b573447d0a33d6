import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, runCli } from './run-cli.js';

// Where the CLI finds the database when no --db, TEAMSTATE_DB or config file names one: the nearest `.teamstate/`
// from the working folder up to the project's root (the folder holding `.git`), else that root; outside a project, the
// working folder. And the MCP line the demo prints works from any folder.
const temp = mkdtempSync(join(tmpdir(), 'teamstate-db-location-'));
const project = join(temp, 'project');
const deep = join(project, 'packages', 'core', 'src');
afterAll(() => rmSync(temp, { recursive: true, force: true }));
let demoOut = '';

beforeAll(async () => {
  mkdirSync(join(project, '.git'), { recursive: true });
  mkdirSync(deep, { recursive: true });
  const demo = await runCli(['demo'], { cwd: project });
  expect(demo.code, demo.stderr).toBe(0);
  demoOut = demo.stdout;
});

describe('the default database of a project', () => {
  it('is found from any sub-folder of the project (the nearest .teamstate/ up to the folder holding .git)', async () => {
    expect(existsSync(join(project, '.teamstate', 'teamstate.db'))).toBe(true);
    const status = await runCli(['status'], { cwd: deep });
    expect(status.stderr).toBe('');
    expect(status.code).toBe(0);
    const signals = await runCli(['signals', '--json'], { cwd: join(project, 'packages') });
    expect(signals.code, signals.stderr).toBe(0);
  });

  it('is created at the root of the project by a command that creates one, run in a sub-folder', async () => {
    const other = join(temp, 'other');
    mkdirSync(join(other, '.git'), { recursive: true });
    mkdirSync(join(other, 'docs'), { recursive: true });
    const imported = await runCli(['demo'], { cwd: join(other, 'docs') });
    expect(imported.code, imported.stderr).toBe(0);
    expect(existsSync(join(other, '.teamstate', 'teamstate.db'))).toBe(true);
    expect(existsSync(join(other, 'docs', '.teamstate'))).toBe(false);
  });

  it('is never looked for above a folder outside a project: the working folder, as the error says', async () => {
    const outside = join(temp, 'outside');
    mkdirSync(join(outside, '.teamstate'), { recursive: true });
    copyFileSync(join(project, '.teamstate', 'teamstate.db'), join(outside, '.teamstate', 'teamstate.db'));
    mkdirSync(join(outside, 'inner'));
    const status = await runCli(['status'], { cwd: join(outside, 'inner') });
    expect(status.code).toBe(1);
    expect(status.stderr).toContain(`there is no database at ${join(outside, 'inner', '.teamstate', 'teamstate.db')}`);
  });
});

describe("the demo's MCP line", () => {
  it('names the database by its absolute path and a person, so the server works from any folder and can act as them', async () => {
    const line = demoOut.split('\n').find((text) => text.includes('claude mcp add teamstate --'));
    expect(line).toBeDefined();
    const match = / mcp --db (\S+) --person (\S+)$/.exec(line!);
    expect(match, line).not.toBeNull();
    const [, db, person] = match!;
    expect(db).toBe(join(project, '.teamstate', 'teamstate.db'));
    // Started as a client would start it: from another folder entirely.
    const elsewhere = mkdtempSync(join(tmpdir(), 'teamstate-elsewhere-'));
    const transport = new StdioClientTransport({
      command: process.execPath,
      args: [BIN, 'mcp', '--db', db!, '--person', person!],
      cwd: elsewhere,
      stderr: 'pipe',
    });
    const client = new Client({ name: 'db-location', version: '1' });
    await client.connect(transport);
    try {
      // A signal of the person's own team: only its members, addressees and leads may acknowledge it.
      const people = await client.callTool({ name: 'list_people', arguments: { search: person! } });
      const me = (people.structuredContent as { items: { id: string; teams: string[] }[] }).items.find((p) => p.id === person);
      expect(me?.teams.length, JSON.stringify(people.structuredContent)).toBeGreaterThan(0);
      const listed = await client.callTool({ name: 'list_signals', arguments: { team: me!.teams[0] } });
      expect(listed.isError, JSON.stringify(listed.content)).toBeFalsy();
      const { signals } = listed.structuredContent as { signals: { fingerprint: string }[] };
      expect(signals.length).toBeGreaterThan(0);
      const acked = await client.callTool({ name: 'ack_signal', arguments: { signal: signals[0]!.fingerprint } });
      expect(acked.isError, JSON.stringify(acked.content)).toBeFalsy();
      expect((acked.structuredContent as { signal: { ack?: { by: string } } }).signal.ack?.by).toBe(person);
    } finally {
      await client.close();
      rmSync(elsewhere, { recursive: true, force: true });
    }
  });
});
