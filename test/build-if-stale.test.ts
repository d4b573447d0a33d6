import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildIfStale, staleReason } from '../scripts/build-if-stale.mjs';

const repository = fileURLToPath(new URL('..', import.meta.url));
let root: string;

/** Writes `text` to `path` under the temp root, modified `minutesAgo` minutes before now. */
function put(path: string, text: string, minutesAgo: number): void {
  const file = join(root, path);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, text);
  const at = new Date(Date.now() - minutesAgo * 60_000);
  utimesSync(file, at, at);
}

/** A package with a build: sources 60 minutes old, built 30 minutes ago. */
function builtPackage(name: string): void {
  put(`packages/${name}/package.json`, JSON.stringify({ name, scripts: { build: 'tsup' }, exports: { '.': './dist/index.js' } }), 60);
  put(`packages/${name}/tsup.config.ts`, 'export default {};\n', 60);
  put(`packages/${name}/src/index.ts`, 'export const a = 1;\n', 60);
  put(`packages/${name}/src/kernel/deep.ts`, 'export const b = 2;\n', 60);
  put(`packages/${name}/dist/index.js`, 'export const a = 1;\n', 30);
  put(`packages/${name}/dist/index.d.ts`, 'export declare const a = 1;\n', 30);
}

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'teamstate-build-if-stale-'));
  builtPackage('core');
  builtPackage('cli');
  // A package without a build (docs, examples) never makes the build stale.
  put('packages/docs/package.json', JSON.stringify({ name: 'docs', scripts: { test: 'vitest' } }), 1);
  put('packages/docs/src/page.ts', '', 1);
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

describe('scripts/build-if-stale.mjs', () => {
  it('finds an up-to-date build up to date, and then does not build', () => {
    expect(staleReason(root)).toBeUndefined();
    let builds = 0;
    const lines: string[] = [];
    expect(buildIfStale(root, { run: () => ++builds && 0, log: (line) => lines.push(line) })).toBe(0);
    expect(builds).toBe(0);
    expect(lines).toEqual([]);
  });

  it('finds a source newer than the build, however deep, and builds once, saying why', () => {
    put('packages/core/src/kernel/deep.ts', 'export const b = 3;\n', 1);
    expect(staleReason(root)).toBe('packages/core/src/kernel/deep.ts is newer than packages/core/dist');
    let builds = 0;
    const lines: string[] = [];
    expect(buildIfStale(root, { run: () => ++builds && 0, log: (line) => lines.push(line) })).toBe(0);
    expect(builds).toBe(1);
    expect(lines).toEqual([
      'build: packages/core/src/kernel/deep.ts is newer than packages/core/dist; building the packages with their type declarations (about 30 s)',
    ]);
  });

  it("returns the build's exit code when it fails", () => {
    put('packages/cli/src/index.ts', 'export const a = 2;\n', 1);
    expect(buildIfStale(root, { run: () => 1, log: () => undefined })).toBe(1);
  });

  it('finds a package.json or build config newer than the build (a dependency or entry changed)', () => {
    put('packages/cli/package.json', JSON.stringify({ name: 'cli', scripts: { build: 'tsup' } }), 1);
    expect(staleReason(root)).toBe('packages/cli/package.json is newer than packages/cli/dist');
    builtPackage('cli');
    put('packages/cli/tsup.config.ts', 'export default { dts: true };\n', 1);
    expect(staleReason(root)).toBe('packages/cli/tsup.config.ts is newer than packages/cli/dist');
  });

  it('leaves tests out: a test changed after the build needs no build', () => {
    put('packages/core/src/kernel/deep.test.ts', 'it("x", () => {});\n', 1);
    expect(staleReason(root)).toBeUndefined();
  });

  it('compares with the oldest file of the build, so a build half-rewritten is stale', () => {
    put('packages/core/src/index.ts', 'export const a = 5;\n', 20);
    put('packages/core/dist/index.d.ts', 'export declare const a = 5;\n', 10);
    expect(staleReason(root)).toBe('packages/core/src/index.ts is newer than packages/core/dist');
  });

  it('finds a package never built, or missing a file its exports name', () => {
    rmSync(join(root, 'packages/cli/dist'), { recursive: true });
    expect(staleReason(root)).toBe('packages/cli is not built yet');
    builtPackage('cli');
    rmSync(join(root, 'packages/cli/dist/index.js'));
    expect(staleReason(root)).toBe('packages/cli/dist/index.js is missing');
  });
});

describe('the build `pnpm demo` and ./teamstate start (JavaScript only, quiet)', () => {
  /** A package whose exports name type declarations too, built 30 minutes ago without them. */
  function typedPackage(name: string): void {
    const exports = { '.': { types: './dist/index.d.ts', import: './dist/index.js' } };
    put(`packages/${name}/package.json`, JSON.stringify({ name, scripts: { build: 'tsup' }, exports }), 60);
    put(`packages/${name}/src/index.ts`, 'export const a = 1;\n', 60);
    rmSync(join(root, `packages/${name}/dist`), { recursive: true, force: true });
    put(`packages/${name}/dist/index.js`, 'export const a = 1;\n', 30);
  }

  it('finds a build without type declarations up to date for the demo, stale for type checking', () => {
    typedPackage('core');
    expect(staleReason(root, { types: false })).toBeUndefined();
    expect(staleReason(root)).toBe('packages/core/dist/index.d.ts is missing');
    const asked: boolean[] = [];
    const lines: string[] = [];
    const run = (types: boolean) => {
      asked.push(types);
      return 0;
    };
    expect(buildIfStale(root, { types: false, run, log: (line) => lines.push(line) })).toBe(0);
    expect(asked).toEqual([]);
    rmSync(join(root, 'packages/core/dist/index.js'));
    expect(buildIfStale(root, { types: false, run, log: (line) => lines.push(line) })).toBe(0);
    expect(asked).toEqual([false]);
    expect(lines).toEqual([
      'build: packages/core is not built yet; building the packages (about 15 s; pnpm build adds the type declarations)',
    ]);
  });

  /** Runs the script in the temp tree with a `pnpm` that prints 300 lines and exits with `exitCode`. */
  function runScript(exitCode: number, args: string[] = []) {
    for (const file of ['scripts/build-if-stale.mjs', 'scripts/check-node.mjs']) {
      mkdirSync(dirname(join(root, file)), { recursive: true });
      copyFileSync(join(repository, file), join(root, file));
    }
    const bin = join(root, 'fake-bin');
    mkdirSync(bin);
    writeFileSync(
      join(bin, 'pnpm'),
      `#!/bin/sh\necho "types=$TEAMSTATE_BUILD_TYPES args=$*"\ni=0; while [ $i -lt 300 ]; do echo "packages/core build: line $i"; i=$((i+1)); done\necho "[plugin dts] noise" >&2\nexit ${exitCode}\n`,
      { mode: 0o755 },
    );
    rmSync(join(root, 'packages/cli/dist'), { recursive: true });
    return spawnSync(process.execPath, [join(root, 'scripts/build-if-stale.mjs'), ...args], {
      cwd: root,
      encoding: 'utf8',
      env: { ...process.env, npm_execpath: '', PATH: `${bin}:${process.env.PATH}` },
    });
  }

  it('prints one line while building the JavaScript only, and nothing of the build that succeeded', () => {
    const run = runScript(0);
    expect(run.status).toBe(0);
    expect(run.stdout).toBe('');
    expect(run.stderr).toBe(
      'build: packages/cli is not built yet; building the packages (about 15 s; pnpm build adds the type declarations)\n',
    );
  });

  it("shows the build's output when it fails, and its exit code; --types builds the declarations too", () => {
    const run = runScript(3, ['--types']);
    expect(run.status).toBe(3);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain('types=1 args=build\n');
    expect(run.stderr).toContain('packages/core build: line 299\n');
    expect(run.stderr).toContain('[plugin dts] noise\n');
    expect(run.stderr).toMatch(/build: pnpm build failed \(exit code 3\)\n$/);
  });
});

describe('./teamstate, the launcher of a clone', () => {
  it('runs the built CLI with the arguments as given, in the folder it was started from, stdout left to the CLI', () => {
    // The launcher and its scripts in the temp tree, a fresh build of a CLI that prints what it was given.
    for (const file of ['teamstate', 'scripts/build-if-stale.mjs', 'scripts/check-node.mjs']) {
      mkdirSync(dirname(join(root, file)), { recursive: true });
      copyFileSync(join(repository, file), join(root, file));
    }
    put('packages/cli/dist/bin.js', 'console.log(JSON.stringify({ args: process.argv.slice(2), cwd: process.cwd() }));\n', 30);
    const from = join(root, 'packages');
    const run = spawnSync(join(root, 'teamstate'), ['signals', '--team', 'pay ments'], {
      cwd: from,
      encoding: 'utf8',
      env: { ...process.env, PATH: `${dirname(process.execPath)}:${process.env.PATH}` },
    });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual({ args: ['signals', '--team', 'pay ments'], cwd: from });
  });

  it('is an executable file at the root, and the demo script reuses a fresh build rather than always building', () => {
    expect(statSync(join(repository, 'teamstate')).mode & 0o111).not.toBe(0);
    const { scripts } = JSON.parse(readFileSync(join(repository, 'package.json'), 'utf8'));
    expect(scripts.demo).toBe('node scripts/check-node.mjs && node scripts/build-if-stale.mjs && node packages/cli/dist/bin.js demo');
    expect(scripts.teamstate).toBe('node scripts/build-if-stale.mjs && node packages/cli/dist/bin.js');
    // Type checking reads the packages' declarations: it builds them first when they are missing or stale.
    expect(scripts.typecheck).toMatch(/^node scripts\/build-if-stale\.mjs --types && /);
  });
});
