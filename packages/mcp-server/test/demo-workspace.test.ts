import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { afterAll, describe, expect, it } from 'vitest';
import { BIN, runCli } from './fixtures/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'teamstate-demo-workspace-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const text = (result: unknown) => (result as { content: { type: string; text: string }[] }).content[0]!.text;

describe('the demo workspace opened with `mcp --db` (the README set-up, no config)', () => {
  it('runs the approval the demo asked for, and accepts proposals of the demo action', async () => {
    const database = join(dir, 'demo.db');
    const demo = await runCli(['--db', database, 'demo'], dir, { HOME: dir });
    expect(demo.code, demo.stderr).toBe(0);
    const printed = /approve it: teamstate (.+)$/m.exec(demo.stdout)![1]!.split(' ');
    const id = printed.find((word) => word.startsWith('apr_'))!;
    const approved = await runCli(printed, dir, { HOME: dir });
    expect(approved.code, approved.stderr).toBe(0);

    const client = new Client({ name: 'demo-workspace', version: '1' });
    await client.connect(
      new StdioClientTransport({ command: process.execPath, args: [BIN, 'mcp', '--db', database], stderr: 'ignore', cwd: dir }),
    );
    try {
      // The server runs what a person approved from another process, as `serve` does.
      const awaited = await client.callTool({ name: 'await_approval', arguments: { id, timeoutSeconds: 20 } });
      expect(text(awaited)).toMatch(/executed/);
      const proposed = await client.callTool({
        name: 'propose_action',
        arguments: { type: 'demo.note.add', target: 'PAY-1', params: { key: 'PAY-1', text: 'on it' }, reason: 'tell the team' },
      });
      expect(proposed.isError, text(proposed)).toBeFalsy();
      expect(text(proposed)).toMatch(/apr_[0-9a-f]{24}/);
    } finally {
      await client.close();
    }
  });
});
