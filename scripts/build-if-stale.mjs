#!/usr/bin/env node
// Builds the packages only when a package's build is missing or older than what it is built from, so `pnpm demo` and
// `./teamstate` reuse an up-to-date build. They need the JavaScript only: without `--types` the build leaves out the
// type declarations (most of a full build's time), which `pnpm build`, and this script with `--types` (`pnpm
// typecheck`), add. The build's output is shown only when it fails. Plain syntax, so an old Node.js can parse it and
// be told to upgrade.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkNode } from './check-node.mjs';

/** The files of a package that its build reads besides `src/`: a change to one makes the build stale. */
const PACKAGE_INPUTS = ['package.json', 'tsup.config.ts', 'tsconfig.json'];

/**
 * Every file under `dir`, recursively (tests left out: they are not built), as [path, mtimeMs].
 * @param {string} dir
 * @returns {[string, number][]}
 */
function files(dir, { tests = true } = {}) {
  /** @type {[string, number][]} */
  const found = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) found.push(...files(path, { tests }));
    else if (tests || !/\.test\.[cm]?[jt]sx?$/.test(entry.name)) found.push([path, statSync(path).mtimeMs]);
  }
  return found;
}

/**
 * The folders of the workspace's packages that have a build (`scripts.build` in their package.json), sorted.
 * @param {string} root
 * @returns {string[]}
 */
function builtPackages(root) {
  const packages = join(root, 'packages');
  if (!existsSync(packages)) return [];
  return readdirSync(packages, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(join(packages, entry.name, 'package.json')))
    .map((entry) => join(packages, entry.name))
    .filter((dir) => Boolean(JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')).scripts?.build))
    .sort();
}

/**
 * The built files a package's `exports` name (`./dist/index.js`, …): a build that stopped half-way lacks some.
 * @param {string} dir
 * @returns {string[]}
 */
function exportedFiles(dir) {
  /** @type {string[]} */
  const found = [];
  /** @param {unknown} value */
  const walk = (value) => {
    if (typeof value === 'string') {
      if (value.startsWith('./dist/')) found.push(value);
    } else if (value && typeof value === 'object') Object.values(value).forEach(walk);
  };
  walk(JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')).exports);
  return found;
}

/**
 * Why the build of the workspace at `root` is stale: a package's `dist/` is missing or empty, lacks a file its
 * `exports` name (its type declarations only when `types` is true), or a file of its `src/` (tests aside), its
 * package.json, tsup.config.ts or tsconfig.json is newer than the oldest file of its `dist/`.
 * `undefined` when every package's build is up to date.
 * @param {string} root the repository's root folder
 * @param {{ types?: boolean }} [options] `types`: whether the type declarations are needed too (default true)
 * @returns {string | undefined}
 */
export function staleReason(root, { types = true } = {}) {
  for (const dir of builtPackages(root)) {
    const name = relative(root, dir);
    const dist = join(dir, 'dist');
    const built = existsSync(dist) ? files(dist) : [];
    if (built.length === 0) return `${name} is not built yet`;
    const missing = exportedFiles(dir)
      .filter((file) => types || !/\.d\.[cm]?ts$/.test(file))
      .find((file) => !existsSync(join(dir, file)));
    if (missing) return `${name}/${missing.replace(/^\.\//, '')} is missing`;
    const builtAt = Math.min(...built.map(([, mtime]) => mtime));
    const inputs = [
      ...(existsSync(join(dir, 'src')) ? files(join(dir, 'src'), { tests: false }) : []),
      ...PACKAGE_INPUTS.filter((file) => existsSync(join(dir, file))).map(
        (file) => /** @type {[string, number]} */ ([join(dir, file), statSync(join(dir, file)).mtimeMs]),
      ),
    ];
    const newer = inputs.find(([, mtime]) => mtime > builtAt);
    if (newer) return `${relative(root, newer[0])} is newer than ${name}/dist`;
  }
  return undefined;
}

/**
 * Builds the workspace at `root` when {@link staleReason} finds it stale, saying why in one line on `log`; does nothing
 * otherwise. `types: false` (what `pnpm demo` and `./teamstate` need) builds the JavaScript only. `run` runs the build
 * and returns its exit code (default: `pnpm build` at `root`, its output shown on stderr only when it fails, so that
 * a first run stays short and the stdout of what runs next, such as an MCP server's, stays clean). Returns the exit
 * code: 0 when up to date or built.
 * @param {string} root
 * @param {{ types?: boolean, run?: (types: boolean) => number, log?: (line: string) => void }} [options]
 * @returns {number}
 */
export function buildIfStale(root, options = {}) {
  const types = options.types ?? true;
  const reason = staleReason(root, { types });
  if (reason === undefined) return 0;
  const log = options.log ?? ((line) => process.stderr.write(`${line}\n`));
  log(
    types
      ? `build: ${reason}; building the packages with their type declarations (about 30 s)`
      : `build: ${reason}; building the packages (about 15 s; pnpm build adds the type declarations)`,
  );
  return (options.run ?? ((withTypes) => runBuild(root, withTypes)))(types);
}

/**
 * `pnpm build` at `root` (`TEAMSTATE_BUILD_TYPES=0` without `types`), its output kept and written to stderr only when
 * it fails: through the pnpm running this script when there is one (`pnpm demo`), else the `pnpm` on the PATH.
 * @param {string} root
 * @param {boolean} types
 * @returns {number}
 */
function runBuild(root, types) {
  const pnpm = process.env.npm_execpath && /pnpm/.test(process.env.npm_execpath) ? process.env.npm_execpath : undefined;
  const [command, args] = pnpm && /\.[cm]?js$/.test(pnpm) ? [process.execPath, [pnpm, 'build']] : [pnpm ?? 'pnpm', ['build']];
  const env = { ...process.env, TEAMSTATE_BUILD_TYPES: types ? '1' : '0' };
  const result = spawnSync(command, args, {
    cwd: root,
    env,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
    stdio: ['ignore', 'pipe', 'pipe'],
    shell: process.platform === 'win32',
  });
  if (result.error) {
    process.stderr.write(`build: could not run pnpm (${result.error.message}); install pnpm 10 and run pnpm build\n`);
    return 1;
  }
  const status = result.status ?? 1;
  if (status !== 0) process.stderr.write(`${result.stdout ?? ''}${result.stderr ?? ''}build: pnpm build failed (exit code ${status})\n`);
  return status;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const problem = checkNode(process.version);
  if (problem) {
    console.error(problem);
    process.exit(1);
  }
  const types = process.argv.includes('--types');
  process.exitCode = buildIfStale(fileURLToPath(new URL('..', import.meta.url)), { types });
}
