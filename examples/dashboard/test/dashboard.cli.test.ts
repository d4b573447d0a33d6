import { spawn, spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const folder = fileURLToPath(new URL('..', import.meta.url));
const tsx = createRequire(import.meta.url).resolve('tsx/cli');

// The start command, as `pnpm --filter @teamstate/example-dashboard start <args>` runs it.
function start(args: string[], env: Record<string, string> = {}) {
  const { PORT: _, TEAMSTATE_DB: __, ...inherited } = process.env;
  return spawnSync(process.execPath, [tsx, 'src/main.ts', ...args], {
    cwd: folder,
    env: { ...inherited, ...env },
    encoding: 'utf8',
    timeout: 30_000,
  });
}

describe('the dashboard start command', () => {
  it.each([
    [['--port', 'eighty'], 'error: --port: expected a whole number from 0 to 65535, got "eighty"'],
    [['--port', '70000'], 'error: --port: expected a whole number from 0 to 65535, got "70000"'],
    [['--now', 'yesterday'], 'error: --now: invalid ISO timestamp "yesterday" (expected e.g. 2026-03-18T10:00:00Z)'],
    [
      ['--db', '/no/such/teamstate.db'],
      'error: --db: no database at /no/such/teamstate.db; create one with teamstate demo or teamstate sync',
    ],
    [['--colour'], "error: Unknown option '--colour'"],
  ])('refuses %j by name, with exit code 2 and its usage', (args, message) => {
    const result = start(args);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain(message);
    expect(result.stderr).toContain('usage: pnpm --filter @teamstate/example-dashboard start');
    expect(result.stdout).toBe('');
  });

  it('takes the port from PORT the same way', () => {
    const result = start([], { PORT: '-1' });
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('error: --port: expected a whole number from 0 to 65535, got "-1"');
  });

  it('prints its options with --help', () => {
    const result = start(['--help']);
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/--port[\s\S]*--host[\s\S]*--now[\s\S]*--db/);
  });

  it('serves the demo workspace at the URL it prints, at the given --now, and stops on SIGTERM', async () => {
    const child = spawn(process.execPath, [tsx, 'src/main.ts', '--port', '0', '--now', '2026-03-18T10:00:00Z'], { cwd: folder });
    try {
      let output = '';
      const url = await new Promise<string>((resolve, reject) => {
        child.stdout.on('data', (chunk: Buffer) => {
          output += chunk.toString('utf8');
          const printed = /teamstate dashboard: (http:\/\/\S+) /.exec(output)?.[1];
          if (printed) resolve(printed);
        });
        child.once('exit', (code) => reject(new Error(`exited with ${code} before printing its URL: ${output}`)));
      });
      const body = (await (await fetch(new URL('/api/dashboard?team=payments', url))).json()) as { at: string; team: { id: string } };
      expect(body).toMatchObject({ at: '2026-03-18T10:00:00.000Z', team: { id: 'payments' } });
      const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  });
});
