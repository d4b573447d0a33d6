import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { createTeamState } from '@teamstate/core';
import { afterAll, describe, expect, it } from 'vitest';
import { BIN, runCli } from './fixtures/cli.js';

// The client configurations in examples/ are documentation people copy: each must start the server.
const examples = fileURLToPath(new URL('../../../examples/', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'teamstate-mcp-examples-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const configs = ['claude-desktop/claude_desktop_config.json', 'claude-code/.mcp.json', 'cursor/.cursor/mcp.json'];

describe('examples', () => {
  it.each(configs)('%s runs `npx -y @teamstate/cli mcp --db <path>`, and that command line serves the tools', async (file) => {
    const config = JSON.parse(readFileSync(join(examples, file), 'utf8')) as {
      mcpServers: Record<string, { command: string; args: string[] }>;
    };
    const server = config.mcpServers.teamstate!;
    expect(server.command).toBe('npx');
    expect(server.args.slice(0, 4)).toEqual(['-y', '@teamstate/cli', 'mcp', '--db']);
    expect(server.args[4]).toMatch(/\.teamstate\/teamstate\.db$/);
    // The same arguments to the built CLI (npx resolves @teamstate/cli to it), on a scratch database.
    const database = join(dir, `${file.split('/')[0]}.db`);
    await (await createTeamState({ database })).close(); // `mcp` refuses a database that does not exist
    const args = [BIN, ...server.args.slice(2, 4), database, ...server.args.slice(5)];
    const client = new Client({ name: 'examples', version: '1' });
    await client.connect(new StdioClientTransport({ command: process.execPath, args, stderr: 'ignore' }));
    try {
      expect((await client.listTools()).tools.map((t) => t.name)).toContain('team_overview');
    } finally {
      await client.close();
    }
  });

  it('the Claude Code example config (demo connector, lead, policy) is valid', async () => {
    const result = await runCli(['--config', join(examples, 'claude-code/teamstate.config.yaml'), 'config', 'check', '--json']);
    expect(result.code, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ ok: true, connectors: ['demo'] });
  });
});
