import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, spawnCli, startServing } from './run-cli.js';

// The signal detectors read a local file of 2 GiB or more on reader threads of their own (one per core, 2 to 4). A
// server over HTTP starts them as it opens such a file, so that its first refresh does not wait for them; the stdio server
// (one person's assistant, started for a conversation) and a short command that never refreshes start none until a read
// needs them (the store's own tests show that).
const dir = mkdtempSync(join(tmpdir(), 'teamstate-reader-threads-'));
const large = join(dir, 'company.db');
const small = join(dir, 'small.db');
// Each made by a process of its own, which has closed it when it exits: a connection of this process, closed only when
// the driver lets it go, could close it later, after it was made sparse again, and shrink it back as the last one.
beforeAll(() => {
  const empty = join(dir, 'empty.json');
  writeFileSync(empty, JSON.stringify({ format: 'teamstate.bundle/v1' }));
  for (const path of [large, small]) {
    const made = spawnCli(['--db', path, 'import', empty]);
    expect(made.code, made.stderr).toBe(0);
  }
});
// An empty database made sparse to 2 GiB: SQLite reads its own page count from the header; the store, the file's size.
// Made again before each process opens it (SQLite gives the file its own size back as the last connection closes).
const companySize = () => {
  truncateSync(large, 2 * 1024 ** 3);
  return large;
};
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const cores = availableParallelism();
const readers = cores >= 2 ? Math.min(cores, 4) : 0;

/** How many worker threads a process runs now (Linux names each `WorkerThread`). */
const workerThreads = (pid: number) =>
  readdirSync(`/proc/${pid}/task`).filter((task) => {
    const comm = `/proc/${pid}/task/${task}/comm`;
    return existsSync(comm) && readFileSync(comm, 'utf8').trim() === 'WorkerThread';
  }).length;

describe('reader threads of a company-size database file', () => {
  it('teamstate serve and teamstate mcp --http start them as they open it; on a small file, none', async () => {
    const env = { TEAMSTATE_MCP_TOKEN: 't'.repeat(40) };
    for (const args of [
      ['serve', '--port', '0'],
      ['mcp', '--http', '--port', '0'],
    ]) {
      const server = await startServing(dir, ['--db', companySize(), ...args], env);
      try {
        // It says where it listens only once they are ready: counted then, with no time allowed for them to appear.
        expect(workerThreads(server.child.pid!)).toBe(readers);
      } finally {
        const code = await server.stop();
        if (code !== 0) console.log('STOP', args, code, server.child.signalCode, server.stderr());
        expect(code).toBe(0);
      }
      const control = await startServing(dir, ['--db', small, ...args], env);
      try {
        await new Promise((resolve) => setTimeout(resolve, 1_000));
        expect(workerThreads(control.child.pid!)).toBe(0);
      } finally {
        expect(await control.stop()).toBe(0);
      }
    }
  }, 240_000);

  it('the stdio MCP server starts none to initialize and list its tools: they start with the first read that needs them', async () => {
    const client = new Client({ name: 'reader-threads', version: '1.0.0' });
    const transport = new StdioClientTransport({ command: process.execPath, args: [BIN, '--db', companySize(), 'mcp'], stderr: 'pipe' });
    await client.connect(transport);
    try {
      expect((await client.listTools()).tools.length).toBeGreaterThan(0);
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      expect(workerThreads(transport.pid!)).toBe(0);
    } finally {
      await client.close();
    }
  });
});
