import { spawnSync } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BIN } from './run-cli.js';

const dir = mkdtempSync(join(tmpdir(), 'teamstate-compile-cache-'));
afterAll(() => {
  chmodSync(dir, 0o755);
  rmSync(dir, { recursive: true, force: true });
});

/** Every file under `folder`, as paths relative to it. */
function files(folder: string): string[] {
  return readdirSync(folder, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name).slice(folder.length + 1))
    .sort();
}

/** `teamstate --version` with `tmp` as the temporary folder and no compile cache asked for by the environment. */
function version(tmp: string) {
  const env: NodeJS.ProcessEnv = { ...process.env, TMPDIR: tmp };
  delete env.NODE_COMPILE_CACHE;
  delete env.NODE_DISABLE_COMPILE_CACHE;
  return spawnSync(process.execPath, [BIN, '--version'], { env, encoding: 'utf8' });
}

describe("V8's compile cache (the next start skips compiling teamstate's modules)", () => {
  it('keeps the compiled code in the temporary folder, never next to the package', () => {
    const tmp = mkdtempSync(join(dir, 'tmp-'));
    const built = join(BIN, '..');
    const before = files(built);
    const result = version(tmp);
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/^\d+\.\d+\.\d+/);
    const cache = join(tmp, 'node-compile-cache');
    expect(existsSync(cache)).toBe(true);
    expect(files(cache).length).toBeGreaterThan(0);
    expect(files(built)).toEqual(before);
  });

  it('starts as usual where the temporary folder cannot be written', () => {
    const readOnly = mkdtempSync(join(dir, 'read-only-'));
    chmodSync(readOnly, 0o555);
    try {
      const result = version(readOnly);
      expect(result.status, result.stderr).toBe(0);
      expect(result.stdout).toMatch(/^\d+\.\d+\.\d+/);
      expect(result.stderr).toBe('');
    } finally {
      chmodSync(readOnly, 0o755);
    }
  });

  it('runs from a copy of the package in a read-only folder, writing nothing into it', () => {
    // Inside the package, so that the copy resolves its dependencies as an installed one does.
    const installed = mkdtempSync(join(BIN, '..', '..', '.read-only-copy-'));
    let before: string[] = [];
    try {
      cpSync(join(BIN, '..'), installed, { recursive: true });
      before = files(installed);
      chmodSync(installed, 0o555);
      const tmp = mkdtempSync(join(dir, 'tmp-'));
      const env: NodeJS.ProcessEnv = { ...process.env, TMPDIR: tmp };
      delete env.NODE_COMPILE_CACHE;
      const result = spawnSync(process.execPath, [join(installed, 'bin.js'), '--version'], { env, encoding: 'utf8', cwd: dir });
      expect(result.status, result.stderr).toBe(0);
      expect(files(installed)).toEqual(before);
    } finally {
      chmodSync(installed, 0o755);
      rmSync(installed, { recursive: true, force: true });
    }
  });
});
