import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
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
  it.each(configs)("%s runs the clone's built CLI with `mcp --db <path>`, and that command line serves the tools", async (file) => {
    const config = JSON.parse(readFileSync(join(examples, file), 'utf8')) as {
      mcpServers: Record<string, { command: string; args: string[] }>;
    };
    const server = config.mcpServers.teamstate!;
    expect(server.command).toBe('node');
    expect(server.args.slice(1, 3)).toEqual(['mcp', '--db']);
    expect(server.args[3]).toMatch(/\.teamstate\/teamstate\.db$/);
    // The bin as each client resolves it: Claude Code from the project folder, Cursor through
    // ${workspaceFolder}, Claude Desktop from the absolute path of a clone (here: this one).
    const folder = join(examples, file.split('/')[0]!);
    const bin = resolve(
      folder,
      // biome-ignore lint/suspicious/noTemplateCurlyInString: Cursor's own placeholder, written literally in the example config
      server.args[0]!.replace('${workspaceFolder}', folder).replace('/Users/you/teamstate/', `${join(examples, '..')}/`),
    );
    expect(bin).toBe(resolve(BIN));
    const database = join(dir, `${file.split('/')[0]}.db`);
    await (await createTeamState({ database })).close(); // `mcp` refuses a database that does not exist
    const client = new Client({ name: 'examples', version: '1' });
    await client.connect(new StdioClientTransport({ command: process.execPath, args: [bin, 'mcp', '--db', database], stderr: 'ignore' }));
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
