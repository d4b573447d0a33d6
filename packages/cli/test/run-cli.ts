import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { main } from '../src/main.js';
import { setSelfName } from '../src/self-command.js';
import { setTableWidth } from '../src/table.js';
import { freshBuild } from './fresh-build.js';

/** The built CLI (tests run after `pnpm build`, as CI does); a build older than the sources fails here, by name. */
export const BIN = freshBuild(fileURLToPath(new URL('..', import.meta.url)), 'dist/bin.js');

/** What a run of `teamstate <args>` showed: its exit code, stdout and stderr. */
export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Where and how `teamstate <args>` runs: its working folder, variables added to (or, `undefined`, removed from) the environment, its stdin. */
export interface CliRunOptions {
  cwd?: string;
  env?: Record<string, string | undefined>;
  input?: string;
}

/** The environment of a run: this process's, tables 250 columns wide unless `extra` says otherwise, no colour overrides. */
function cliEnv(extra: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
  // Tables fit the terminal width; tests read whole rows unless they set COLUMNS themselves.
  const env: NodeJS.ProcessEnv = { ...process.env, COLUMNS: '250', ...extra };
  delete env.NO_COLOR;
  delete env.FORCE_COLOR;
  for (const name of Object.keys(env)) if (env[name] === undefined) delete env[name];
  return env;
}

// One in-process run at a time: a run works in its own folder (process.chdir), as a subprocess would.
let running: Promise<unknown> = Promise.resolve();

/**
 * Runs `teamstate <args>` in this process, through the CLI's `main()` with an injected io (stdout and stderr
 * collected, the given environment and working folder, no TTY): the same exit code, output and files as the built
 * bin, without starting a Node process per command. A run with `input` (stdin) runs the built bin as a subprocess.
 */
export function runCli(args: string[], options: CliRunOptions = {}): Promise<CliResult> {
  if (options.input !== undefined) return Promise.resolve(spawnCli(args, options));
  const run = async (): Promise<CliResult> => {
    let stdout = '';
    let stderr = '';
    const previous = process.cwd();
    // Relative paths in arguments (files, --db) resolve against the run's folder, as in a subprocess started there.
    if (options.cwd !== undefined) process.chdir(options.cwd);
    try {
      const code = await main(args, {
        stdout: (text) => {
          stdout += text;
        },
        stderr: (text) => {
          stderr += text;
        },
        env: cliEnv(options.env),
        isTTY: false,
        cwd: process.cwd(),
      });
      return { code, stdout, stderr };
    } finally {
      // The run leaves this process as it found it: its folder, tables back at the default 80 columns, and the
      // commands it suggests back to `teamstate …`.
      process.chdir(previous);
      setTableWidth({}, false, undefined);
      setSelfName(undefined);
    }
  };
  const result = running.then(run, run);
  running = result.catch(() => undefined);
  return result;
}

// The databases `demoDatabase` copies, one per `--now` (or per day, on the clock), made once in this process.
const demoTemplates = new Map<string, Promise<{ file: string; made: CliResult }>>();
let demoFolder: string | undefined;
process.on('exit', () => {
  if (demoFolder !== undefined) rmSync(demoFolder, { recursive: true, force: true });
});

/**
 * Makes `database` (a file that does not exist yet) the demo workspace, as `teamstate --db <database> [--now <now>]
 * demo` does, for a test whose subject is not the demo itself: the first call for a `now` (for a day, without one) in
 * this process runs that command, later ones copy the database it made. The result is what that run printed, its
 * database's path replaced by `database`.
 */
export async function demoDatabase(database: string, now?: string): Promise<CliResult> {
  const key = now ?? `the clock's day ${new Date().toISOString().slice(0, 10)}`;
  let template = demoTemplates.get(key);
  if (template === undefined) {
    demoFolder ??= mkdtempSync(join(tmpdir(), 'teamstate-demo-template-'));
    const file = join(demoFolder, `demo-${demoTemplates.size}.db`);
    template = runCli(['--db', file, ...(now === undefined ? [] : ['--now', now]), 'demo']).then((made) => ({ file, made }));
    demoTemplates.set(key, template);
  }
  const { file, made } = await template;
  if (made.code === 0) {
    copyFileSync(file, database);
    if (existsSync(`${file}-wal`)) copyFileSync(`${file}-wal`, `${database}-wal`);
  }
  return { code: made.code, stdout: made.stdout.replaceAll(file, database), stderr: made.stderr.replaceAll(file, database) };
}

/** Runs `teamstate <args>` as a subprocess of the built bin without a TTY (exit codes, signals, stdin, pipes). */
export function spawnCli(args: string[], options: CliRunOptions = {}): CliResult {
  const result = spawnSync(process.execPath, [BIN, ...args], {
    cwd: options.cwd,
    env: cliEnv(options.env),
    input: options.input,
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

/**
 * Runs `teamstate <args>` as a subprocess of the built bin without blocking this process (for a test that needs a
 * second process, such as one writing while another reads the same database).
 */
export function spawnCliAsync(args: string[], options: { cwd: string; env?: Record<string, string | undefined> }): Promise<CliResult> {
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
