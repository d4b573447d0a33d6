import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createTeamState } from '@teamstate/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServing } from './run-cli.js';

// The official MCP Inspector's CLI mode (`npx @modelcontextprotocol/inspector --cli <url> --method …`,
// docs/remote-mcp.md) as a subprocess against `teamstate serve` and `teamstate mcp --http`, themselves subprocesses of
// the built CLI: it lists the tools and calls them over Streamable HTTP with a person's bearer token.
const INSPECTOR = join(
  dirname(createRequire(import.meta.url).resolve('@modelcontextprotocol/inspector/package.json')),
  'clients/launcher/build/index.js',
);
const dir = mkdtempSync(join(tmpdir(), 'teamstate-inspector-'));
const database = join(dir, 'team.db');
// The Inspector keeps a catalog and secrets under ~/.mcp-inspector: here a home of its own, removed afterwards.
const home = join(dir, 'home');
let token = '';

beforeAll(async () => {
  const ts = await createTeamState({ database, clock: () => new Date('2026-11-20T09:00:00Z') });
  await ts.import({
    format: 'teamstate.bundle/v1',
    teams: [{ id: 'pay', name: 'Payments' }],
    people: [{ id: 'ana', name: 'Ana', teams: ['pay'] }],
  });
  token = (await ts.tokens.create({ person: 'ana' })).token;
  await ts.close();
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface InspectorRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

function inspector(url: string, args: string[], headers = [`Authorization: Bearer ${token}`]): Promise<InspectorRun> {
  const headerArgs = headers.flatMap((header) => ['--header', header]);
  const child = spawn(process.execPath, [INSPECTOR, '--cli', url, '--transport', 'http', ...headerArgs, ...args], {
    env: { ...process.env, HOME: home, MCP_CATALOG_PATH: join(home, 'mcp.json') },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString('utf8');
  });
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString('utf8');
  });
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
}

describe.each([['serve'], ['mcp', '--http']])('the MCP Inspector CLI against teamstate %s', (...command) => {
  it('lists the tools and calls them as the person whose token it sends', async () => {
    const server = await startServing(dir, ['--db', database, ...command, '--port', '0']);
    try {
      const url = `${server.base}/mcp`;
      const listed = await inspector(url, ['--method', 'tools/list']);
      expect(listed.code, listed.stderr).toBe(0);
      const names = (JSON.parse(listed.stdout) as { tools: { name: string }[] }).tools.map((tool) => tool.name);
      expect(names).toEqual(expect.arrayContaining(['team_overview', 'get_metrics', 'submit_daily_report', 'propose_action']));

      const overview = await inspector(url, ['--method', 'tools/call', '--tool-name', 'team_overview', '--tool-arg', 'team=pay']);
      expect(overview.code, overview.stderr).toBe(0);
      const result = JSON.parse(overview.stdout) as { isError?: boolean; structuredContent: { teams: { id: string }[] } };
      expect(result.isError).toBeFalsy();
      expect(result.structuredContent.teams.map((team) => team.id)).toEqual(['pay']);

      const filed = await inspector(url, [
        '--method',
        'tools/call',
        '--tool-name',
        'submit_daily_report',
        '--tool-arg',
        `text=Checked ${command.join(' ')} with the Inspector`,
      ]);
      expect(filed.code, filed.stderr).toBe(0);
      expect(JSON.parse(filed.stdout)).toMatchObject({
        structuredContent: { report: { person: 'ana', source: 'mcp', text: `Checked ${command.join(' ')} with the Inspector` } },
      });

      // An unknown tool is an error the Inspector reports, and a wrong token never reaches the tools.
      const unknown = await inspector(url, ['--method', 'tools/call', '--tool-name', 'no_such_tool']);
      expect(unknown.code).not.toBe(0);
      const refused = await inspector(url, ['--method', 'tools/list'], ['Authorization: Bearer tst_not-a-token']);
      expect(refused.code).not.toBe(0);
      expect(refused.stdout).not.toContain('team_overview');
      expect(server.stderr()).not.toContain(token);
    } finally {
      await server.stop();
    }
  });
});
