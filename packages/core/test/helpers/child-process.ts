import { spawn } from 'node:child_process';
import { basename } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freshBuild } from '../../../cli/test/fresh-build.js';

const root = fileURLToPath(new URL('../../../../', import.meta.url));

/**
 * The scripts that import only the package's public entries (`@teamstate/core`, `@teamstate/core/testing`): they run on
 * its build, about 0.5 s to start instead of 3 s through tsx and the sources. Node strips their types, and
 * resolve-ts.mjs resolves their imports of the fixtures beside them. The others import the sources' internals, through tsx.
 */
const ON_THE_BUILD = new Set(['approvals-child.ts', 'store-client.ts']);

/** Node's arguments that run the test script at `script` (a file URL); a build older than the sources fails here, by name. */
export function scriptArgs(script: URL): string[] {
  const path = fileURLToPath(script);
  if (!ON_THE_BUILD.has(basename(path))) return ['--import', 'tsx', path];
  freshBuild(fileURLToPath(new URL('../..', import.meta.url)), 'dist/index.js');
  return ['--import', fileURLToPath(new URL('./resolve-ts.mjs', import.meta.url)), path];
}

/** Runs a TypeScript script of this folder in a separate Node process and resolves with its output. */
export function runScript(script: string, args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...scriptArgs(new URL(script, import.meta.url)), ...args], {
      cwd: root,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => {
      stdout += String(chunk);
    });
    child.stderr.on('data', (chunk) => {
      stderr += String(chunk);
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}
