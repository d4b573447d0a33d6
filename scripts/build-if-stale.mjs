#!/usr/bin/env node
// Runs `pnpm build` only when a package's build is missing or older than what it is built from, so `pnpm demo` and
// `./teamstate` reuse an up-to-date build (a full build takes minutes on a small machine). Plain syntax, so an old
// Node.js can parse it and be told to upgrade.
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
 * `exports` name, or a file of its `src/` (tests aside), its package.json, tsup.config.ts or tsconfig.json is newer
 * than the oldest file of its `dist/`.
 * `undefined` when every package's build is up to date.
 * @param {string} root the repository's root folder
 * @returns {string | undefined}
 */
export function staleReason(root) {
  for (const dir of builtPackages(root)) {
    const name = relative(root, dir);
    const dist = join(dir, 'dist');
    const built = existsSync(dist) ? files(dist) : [];
    if (built.length === 0) return `${name} is not built yet`;
    const missing = exportedFiles(dir).find((file) => !existsSync(join(dir, file)));
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
 * Builds the workspace at `root` when {@link staleReason} finds it stale, saying why on `log`; does nothing otherwise.
 * `run` runs the build and returns its exit code (default: `pnpm build` at `root`, its output on stderr, so that the
 * stdout of what runs next, such as an MCP server's, stays clean). Returns the exit code: 0 when up to date or built.
 * @param {string} root
 * @param {{ run?: () => number, log?: (line: string) => void }} [options]
 * @returns {number}
 */
export function buildIfStale(root, options = {}) {
  const reason = staleReason(root);
  if (reason === undefined) return 0;
  const log = options.log ?? ((line) => process.stderr.write(`${line}\n`));
  log(`build: ${reason}; running pnpm build (about a minute or two)`);
  return (options.run ?? (() => runBuild(root)))();
}

/**
 * `pnpm build` at `root`, its output on stderr: through the pnpm running this script when there is one (`pnpm demo`),
 * else the `pnpm` on the PATH.
 * @param {string} root
 * @returns {number}
 */
function runBuild(root) {
  const pnpm = process.env.npm_execpath && /pnpm/.test(process.env.npm_execpath) ? process.env.npm_execpath : undefined;
  const [command, args] = pnpm && /\.[cm]?js$/.test(pnpm) ? [process.execPath, [pnpm, 'build']] : [pnpm ?? 'pnpm', ['build']];
  const result = spawnSync(command, args, { cwd: root, stdio: ['ignore', 2, 2], shell: process.platform === 'win32' });
  if (result.error) {
    process.stderr.write(`build: could not run pnpm (${result.error.message}); install pnpm 10 and run pnpm build\n`);
    return 1;
  }
  return result.status ?? 1;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const problem = checkNode(process.version);
  if (problem) {
    console.error(problem);
    process.exit(1);
  }
  process.exitCode = buildIfStale(fileURLToPath(new URL('..', import.meta.url)));
}
