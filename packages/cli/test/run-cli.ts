import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { freshBuild } from './fresh-build.js';

/** The built CLI (tests run after `pnpm build`, as CI does); a build older than the sources fails here, by name. */
export const BIN = freshBuild(fileURLToPath(new URL('..', import.meta.url)), 'dist/bin.js');

/** Runs `teamstate <args>` as a subprocess without a TTY. */
export function runCli(args: string[], options: { cwd?: string; env?: Record<string, string | undefined>; input?: string } = {}) {
  // Tables fit the terminal width; tests read whole rows unless they set COLUMNS themselves.
  const env: NodeJS.ProcessEnv = { ...process.env, COLUMNS: '250', ...options.env };
  delete env.NO_COLOR;
  delete env.FORCE_COLOR;
  const result = spawnSync(process.execPath, [BIN, ...args], {
    cwd: options.cwd,
    env,
    input: options.input,
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

/**
 * Runs `teamstate <args>` as a subprocess without blocking this process (for tests that serve something the
 * CLI talks to, such as a fake GitHub, from this process).
 */
export function runCliAsync(
  args: string[],
  options: { cwd: string; env?: Record<string, string | undefined> },
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd: options.cwd, env: { ...process.env, COLUMNS: '250', ...options.env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
    });
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
    });
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** A long-running `teamstate …` (serve, mcp --http) that printed where it listens. */
export interface Serving {
  child: ChildProcess;
  base: string;
  stderr: () => string;
  stop(): Promise<number | null>;
}

/** Starts a long-running `teamstate …` in `cwd` and resolves once it printed the URL it listens on and its token. */
export function startServing(cwd: string, args: string[], env: Record<string, string> = {}): Promise<Serving> {
  const child = spawn(process.execPath, [BIN, ...args], { cwd, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    child.stderr!.on('data', (chunk: Buffer) => {
      stderr += chunk.toString('utf8');
      const match = /http:\/\/127\.0\.0\.1:(\d+)/.exec(stderr);
      if (match && stderr.includes('Authorization: Bearer')) {
        resolve({
          child,
          base: `http://127.0.0.1:${match[1]}`,
          stderr: () => stderr,
          stop: () => {
            child.kill('SIGTERM');
            return exited;
          },
        });
      }
    });
    void exited.then((code) => reject(new Error(`exited with ${code} before listening:\n${stderr}`)));
  });
}
