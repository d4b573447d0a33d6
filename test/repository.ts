import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository's root folder, with a trailing slash. */
export const ROOT = fileURLToPath(new URL('..', import.meta.url));

/** A file of the repository, by its path from the root. */
export function readRepositoryFile(file: string): string {
  return readFileSync(join(ROOT, file), 'utf8');
}

/** What a package.json of the repository says (the fields these tests read). */
export interface Manifest {
  name: string;
  version: string;
  private?: boolean;
  license?: string;
  files?: string[];
  bin?: Record<string, string>;
  engines?: Record<string, string>;
  repository?: { type?: string; url?: string; directory?: string };
  exports?: Record<string, string | Record<string, string>>;
  scripts?: Record<string, string>;
  packageManager?: string;
}

/** A package.json of the repository, by its folder from the root ('' for the root's). */
export function manifest(folder: string): Manifest {
  return JSON.parse(readRepositoryFile(join(folder, 'package.json')));
}

/** The folders of the packages published to npm: every `packages/*` whose package.json is not private. */
export function publishedPackages(): string[] {
  return readdirSync(join(ROOT, 'packages'))
    .map((name) => `packages/${name}`)
    .filter((folder) => !manifest(folder).private);
}

/**
 * Parses YAML with the parser the CLI reads config files with (`yaml`, a dependency of @teamstate/cli and core; the
 * root package does not depend on it).
 */
export function parseYaml(text: string): unknown {
  const yaml = createRequire(join(ROOT, 'packages/cli/package.json'))('yaml') as { parse(text: string): unknown };
  return yaml.parse(text);
}

/** What a command run by a test showed. */
export interface Ran {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `command` (no shell) in `cwd`, the repository's root by default, and returns its exit status and output. */
export function run(command: string, args: readonly string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): Ran {
  const result = spawnSync(command, args, { cwd: options.cwd ?? ROOT, env: options.env ?? process.env, encoding: 'utf8' });
  if (result.error) throw result.error;
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** `pnpm` as the test was started by it (`npm_execpath`), or else the one on the PATH. */
export function pnpm(): { command: string; prefix: string[] } {
  const execpath = process.env.npm_execpath;
  return execpath && /pnpm/.test(execpath) && /\.c?js$/.test(execpath)
    ? { command: process.execPath, prefix: [execpath] }
    : { command: 'pnpm', prefix: [] };
}
