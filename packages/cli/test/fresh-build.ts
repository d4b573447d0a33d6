import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));

/** The newest source file (not a test) under `dir`, with its modification time. */
function newestSource(dir: string, stat: typeof statSync): { path: string; mtimeMs: number } | undefined {
  let newest: { path: string; mtimeMs: number } | undefined;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    const found = entry.isDirectory()
      ? newestSource(path, stat)
      : /\.(ts|json)$/.test(entry.name) && !entry.name.endsWith('.test.ts')
        ? { path, mtimeMs: stat(path).mtimeMs }
        : undefined;
    if (found && (!newest || found.mtimeMs > newest.mtimeMs)) newest = found;
  }
  return newest;
}

/** A workspace package's folder and those of the workspace packages it depends on, transitively. */
function packageDirs(packageDir: string, root: string, seen = new Set<string>()): string[] {
  if (seen.has(packageDir)) return [];
  seen.add(packageDir);
  const manifest = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8')) as { dependencies?: Record<string, string> };
  const workspace = Object.keys(manifest.dependencies ?? {}).filter((name) => name.startsWith('@teamstate/'));
  return [packageDir, ...workspace.flatMap((name) => packageDirs(join(root, 'packages', name.slice('@teamstate/'.length)), root, seen))];
}

/**
 * Why `file` of a built package is stale: it is missing, or older than a source file of the package or of a
 * workspace package it depends on. `undefined` when it is up to date.
 */
export function staleBuild(packageDir: string, file: string, options: { root?: string; stat?: typeof statSync } = {}): string | undefined {
  const root = options.root ?? ROOT;
  const stat = options.stat ?? statSync;
  const built = join(packageDir, file);
  const shown = (path: string) => relative(root, path);
  if (!existsSync(built)) return `${shown(built)} is missing: run pnpm build`;
  const builtAt = stat(built).mtimeMs;
  for (const dir of packageDirs(packageDir, root)) {
    const newest = existsSync(join(dir, 'src')) ? newestSource(join(dir, 'src'), stat) : undefined;
    if (newest && newest.mtimeMs > builtAt) {
      return `${shown(built)} is older than ${shown(newest.path)}: run pnpm build (this test runs the built package)`;
    }
  }
  return undefined;
}

/** The path of a built file of a workspace package; throws when the build is stale, so a test never runs an old build. */
export function freshBuild(packageDir: string, file: string): string {
  const problem = staleBuild(resolve(packageDir), file);
  if (problem) throw new Error(problem);
  return join(resolve(packageDir), file);
}
