import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { demoBundle } from '@teamstate/connectors/demo';
import { createTeamState } from '@teamstate/core';
import { DEFAULT_TOOLSETS } from '@teamstate/mcp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { frontManifest, plainStart } from '../src/mcp-front.js';
import { BIN, demoDatabase } from './run-cli.js';

const dir = mkdtempSync(join(tmpdir(), 'teamstate-mcp-front-'));
const database = join(dir, 'team.db');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A database holding the demo bundle (some of it may still be in its write-ahead log, as a file copy would miss). */
async function importDemo(path: string): Promise<void> {
  const ts = await createTeamState({ database: path });
  await ts.import(demoBundle({ now: new Date('2026-03-10T12:00:00Z') }));
  await ts.close();
}

beforeAll(() => importDemo(database));

describe('which `teamstate mcp` starts the quick way (src/mcp-front.ts)', () => {
  it.each<[string[], Record<string, string>]>([
    [['--db', 'team.db', 'mcp'], {}],
    [['mcp', '--db=team.db'], {}],
    [['mcp'], { TEAMSTATE_DB: 'team.db' }],
    [['--debug', 'mcp', '--db', 'team.db', '--toolsets', 'delivery,actions', '--read-only', '--requested-by', 'claude'], {}],
  ])('a plain start: %j %j', (argv, env) => {
    expect(plainStart(argv, env, dir)).toMatchObject({ path: database });
  });

  it.each<[string[], Record<string, string>]>([
    // Another command, or flags the ordinary command handles (and checks).
    [['--db', 'team.db', 'status'], {}],
    [['--db', 'team.db', 'mcp', '--http'], {}],
    [['--db', 'team.db', 'mcp', '--person', 'dana'], {}],
    [['--db', 'team.db', 'mcp', '--help'], {}],
    [['--db', 'team.db', '--workspace', 'acme', 'mcp'], {}],
    [['--db', 'team.db', '--config', 'x.yaml', 'mcp'], {}],
    [['--db', 'team.db', '--read-only', 'mcp'], {}],
    [['--db', 'team.db', 'mcp', '--port', '1'], {}],
    [['--db', 'team.db', 'mcp', '--requested-by', ' claude'], {}],
    [['--db', 'team.db', 'mcp', 'extra'], {}],
    // Variables that change what is read.
    [['--db', 'team.db', 'mcp'], { TEAMSTATE_WORKSPACE: 'acme' }],
    [['--db', 'team.db', 'mcp'], { TEAMSTATE_POLICY: 'policy.yaml' }],
    [['--db', 'team.db', 'mcp'], { TEAMSTATE_OTEL: '1' }],
    // No plain local file that exists.
    [['mcp'], {}],
    [['--db', 'missing.db', 'mcp'], {}],
    [['--db', 'file:team.db', 'mcp'], {}],
    [['--db', 'libsql://acme.turso.io', 'mcp'], {}],
    [['--db', ':memory:', 'mcp'], {}],
  ])('not a plain start: %j %j', (argv, env) => {
    expect(plainStart(argv, env, dir)).toBeUndefined();
  });

  it('knows the listing of a demo workspace without an approved policy from the build, and of one with data and no demo', () => {
    const built = new URL('../dist/', import.meta.url);
    const demo = frontManifest({ filled: true, demo: true, policy: false }, built);
    if (demo === undefined || demo === 'built') throw new Error(`expected the demo manifest the build wrote, got ${demo}`);
    const propose = demo.tools.find(({ tool }) => tool.name === 'propose_action');
    expect(propose?.tool.description).toContain('- demo.note: add');
    expect(frontManifest({ filled: true, demo: false, policy: true }, built)).toBe('built');
    // An approved policy decides the modes listed; an empty workspace gets the ordinary start's warning.
    expect(frontManifest({ filled: true, demo: true, policy: true }, built)).toBeUndefined();
    expect(frontManifest({ filled: false, demo: false, policy: false }, built)).toBeUndefined();
    // Running from the sources, where no build wrote it.
    expect(frontManifest({ filled: true, demo: true, policy: false }, new URL('../src/', import.meta.url))).toBeUndefined();
  });

  it('is no plain start where a config file is found', () => {
    const configured = mkdtempSync(join(dir, 'configured-'));
    writeFileSync(join(configured, 'teamstate.config.yaml'), 'workspace: default\n');
    expect(plainStart(['--db', database, 'mcp'], {}, configured)).toBeUndefined();
  });
});

/** A client of the built CLI over stdio, with the server's stderr. */
async function connect(args: string[], env: Record<string, string> = {}, protocol?: '2026-07-28') {
  const transport = new StdioClientTransport({ command: process.execPath, args: [BIN, ...args], cwd: dir, env, stderr: 'pipe' });
  let stderr = '';
  transport.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString('utf8');
  });
  const client = new Client({ name: 'mcp-front', version: '1' }, protocol ? { versionNegotiation: { mode: { pin: protocol } } } : {});
  await client.connect(transport);
  return { client, stderr: () => stderr };
}

describe('teamstate mcp started the quick way (built binary, SDK client)', () => {
  it('lists the same tools, instructions and server as the ordinary start, then answers calls from the store', async () => {
    // TEAMSTATE_WORKSPACE (to the same workspace) makes it no plain start: the ordinary command from the first byte.
    const ordinary = await connect(['--db', database, 'mcp'], { TEAMSTATE_WORKSPACE: 'default' });
    const quick = await connect(['--db', database, 'mcp']);
    try {
      const [expected, listed] = await Promise.all([ordinary.client.listTools(), quick.client.listTools()]);
      expect(listed).toEqual(expected);
      expect(listed.tools.map((tool) => tool.name)).toContain('propose_action');
      expect(quick.client.getInstructions()).toBe(ordinary.client.getInstructions());
      expect(quick.client.getServerVersion()).toEqual(ordinary.client.getServerVersion());
      expect(quick.client.getServerCapabilities()).toEqual(ordinary.client.getServerCapabilities());
      const people = await quick.client.callTool({ name: 'list_people', arguments: { limit: 3 } });
      expect(people.isError).toBeFalsy();
      expect((people.structuredContent as { items: unknown[] }).items).toHaveLength(3);
      // Said once, as the ordinary start says it.
      expect(quick.stderr().match(/over stdio/g)).toEqual(['over stdio']);
      expect(quick.stderr()).toContain(`teamstate mcp: serving file:${database} (workspace default) over stdio`);
      expect(ordinary.stderr()).toContain(`teamstate mcp: serving file:${database} (workspace default) over stdio`);
    } finally {
      await quick.client.close();
      await ordinary.client.close();
    }
  });

  it("lists in a demo workspace (teamstate demo) what the ordinary start lists, the demo connector's actions included", async () => {
    const database = join(dir, 'demo.db');
    const made = await demoDatabase(database);
    expect(made.code, made.stderr).toBe(0);
    const ordinary = await connect(['--db', database, 'mcp'], { TEAMSTATE_WORKSPACE: 'default' });
    const quick = await connect(['--db', database, 'mcp']);
    try {
      const [expected, listed] = await Promise.all([ordinary.client.listTools(), quick.client.listTools()]);
      expect(listed).toEqual(expected);
      // The manifest holds every toolset's tools (--toolsets may ask for any); a start without --toolsets lists the default ones.
      const manifest = JSON.parse(readFileSync(new URL('../dist/demo-tool-manifest.json', import.meta.url), 'utf8')) as {
        tools: { toolset: string; tool: unknown }[];
      };
      expect(listed.tools).toEqual(
        manifest.tools.filter(({ toolset }) => (DEFAULT_TOOLSETS as readonly string[]).includes(toolset)).map(({ tool }) => tool),
      );
      expect(quick.client.getInstructions()).toBe(ordinary.client.getInstructions());
      const note = await quick.client.callTool({
        name: 'propose_action',
        arguments: { type: 'demo.note.add', target: 'payments', params: { key: 'PAY-12', text: 'hello' }, reason: 'a test' },
      });
      expect(note.isError, JSON.stringify(note.content)).toBeFalsy();
    } finally {
      await quick.client.close();
      await ordinary.client.close();
    }
  });

  it('serves a client pinned to the 2026-07-28 protocol the same tools and answers as the ordinary start', async () => {
    const ordinary = await connect(['--db', database, 'mcp'], { TEAMSTATE_WORKSPACE: 'default' }, '2026-07-28');
    const quick = await connect(['--db', database, 'mcp'], {}, '2026-07-28');
    try {
      expect(quick.client.getNegotiatedProtocolVersion()).toBe('2026-07-28');
      const [expected, listed] = await Promise.all([ordinary.client.listTools(), quick.client.listTools()]);
      expect(listed).toEqual(expected);
      const call = { name: 'team_overview', arguments: {} };
      const [overview, quickOverview] = await Promise.all([ordinary.client.callTool(call), quick.client.callTool(call)]);
      expect(quickOverview.structuredContent).toMatchObject({ teams: (overview.structuredContent as { teams: unknown[] }).teams });
    } finally {
      await quick.client.close();
      await ordinary.client.close();
    }
  });

  it('offers what --toolsets and --read-only select, as the ordinary start does', async () => {
    const args = ['--db', database, 'mcp', '--toolsets', 'delivery,actions', '--read-only'];
    const ordinary = await connect(args, { TEAMSTATE_WORKSPACE: 'default' });
    const quick = await connect(args);
    try {
      const [expected, listed] = await Promise.all([ordinary.client.listTools(), quick.client.listTools()]);
      expect(listed).toEqual(expected);
      expect(listed.tools.map((tool) => tool.name)).not.toContain('propose_action');
    } finally {
      await quick.client.close();
      await ordinary.client.close();
    }
  });

  it('still refuses a file that is not a database before serving, with the error of the ordinary start', async () => {
    const bad = join(dir, 'not-a-database.db');
    writeFileSync(bad, 'hello, I am a text file\n');
    const result = spawnSync(process.execPath, [BIN, '--db', bad, 'mcp'], { cwd: dir, input: '', encoding: 'utf8' });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain(`error: could not open database file:${bad}: SQLITE_NOTADB: file is not a database`);
    expect(result.stdout).toBe('');
  });

  it('reports a database it cannot open once the rest loads, on stderr, and exits 1 (stdout stays JSON-RPC)', async () => {
    const copy = join(dir, 'removed.db');
    await importDemo(copy);
    const child = spawn(process.execPath, [BIN, '--db', copy, 'mcp'], { cwd: dir, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString('utf8');
    });
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    await new Promise<void>((resolve) =>
      child.stderr.on('data', (chunk: Buffer) => {
        stderr += chunk.toString('utf8');
        if (stderr.includes('over stdio')) resolve();
      }),
    );
    // Gone after the quick start looked at it: the first call loads the rest, which opens it.
    rmSync(copy);
    const send = (message: unknown) => child.stdin.write(`${JSON.stringify(message)}\n`);
    send({
      jsonrpc: '2.0',
      id: 1,
      method: 'initialize',
      params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 't', version: '1' } },
    });
    send({ jsonrpc: '2.0', method: 'notifications/initialized' });
    send({ jsonrpc: '2.0', id: 2, method: 'tools/call', params: { name: 'list_people', arguments: {} } });
    expect(await exited).toBe(1);
    expect(stderr).toContain(`error: database: there is no database at ${copy}`);
    // At most the answer to initialize (when the front gave it before the call came): nothing but JSON-RPC.
    for (const text of stdout.split('\n').filter((line) => line !== '')) expect(JSON.parse(text)).toMatchObject({ jsonrpc: '2.0', id: 1 });
  });

  it('exits 0 on SIGTERM sent the moment it says it serves', async () => {
    for (let run = 0; run < 3; run++) {
      const child = spawn(process.execPath, [BIN, '--db', database, 'mcp'], { cwd: dir, stdio: ['pipe', 'ignore', 'pipe'] });
      const exited = new Promise<[number | null, NodeJS.Signals | null]>((resolve) =>
        child.on('exit', (code, signal) => resolve([code, signal])),
      );
      child.stderr.on('data', (chunk: Buffer) => {
        if (chunk.toString('utf8').includes('over stdio')) child.kill('SIGTERM');
      });
      expect(await exited).toEqual([0, null]);
    }
  });
});
