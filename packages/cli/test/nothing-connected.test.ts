import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from './run-cli.js';

// `init --yes` connects no source: it says so, and how to add one; `sync` on such a config says there is nothing to
// sync rather than reporting the config's own records as if a source had been synced.
const dir = mkdtempSync(join(tmpdir(), 'teamstate-nothing-connected-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('a config that connects nothing', () => {
  it('init --yes says nothing is connected and how to connect a source', async () => {
    const result = await runCli(['init', '--yes'], { cwd: dir });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('Nothing is connected yet');
    expect(result.stdout).toContain(`add a source under connectors: in ${join(dir, 'teamstate.config.yaml')}`);
    expect(result.stdout).toContain('docs/connectors/');
    // No `sync` to run yet: it would have nothing to read.
    expect(result.stdout).not.toMatch(/^\s+teamstate sync$/m);
  });

  it('sync says plainly that no source is connected', async () => {
    const result = await runCli(['sync'], { cwd: dir });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).not.toContain('config succeeded');
    expect(result.stdout).toContain('Nothing to sync: no source is connected');
    expect(result.stdout).toContain('connectors:');
  });

  it('sync --json still prints one JSON document, the config applied and no connector synced', async () => {
    const result = await runCli(['--json', 'sync'], { cwd: dir });
    expect(result.code, result.stderr).toBe(0);
    const parsed = JSON.parse(result.stdout) as { ok: boolean; connectors: { connector: string }[] };
    expect(parsed.connectors.map((c) => c.connector)).toEqual(['config']);
  });
});
