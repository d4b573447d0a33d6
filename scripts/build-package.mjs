#!/usr/bin/env node
// A package's build (its `build` script, which `pnpm build` runs), in the package's folder:
// 1. unless TEAMSTATE_BUILD_TYPES=0, the type declarations of its `src/`, emitted into `.types/` by TypeScript 7's
//    compiler without checking the types (`pnpm typecheck` does): seconds, where tsup's own declaration build took most
//    of a build. The package's tsup.config.ts bundles them (`dts: declarations(entry)`, scripts/declarations.ts).
// 2. tsup with the arguments given, its output shown as it comes, failing when the type declarations' bundler warns.
//    tsup reports success anyway, but each such warning is an error in a user's project: a declaration that uses a type
//    its entry does not export (shared between entries, in a chunk of its own) cannot be named there (TS2742).
//    scripts/worker-console.cjs, loaded into tsup, keeps those warnings from being lost.
// Plain syntax, so an old Node.js can parse it.
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Where the declarations of a package's `src/` go, in its folder (DECLARATIONS_DIR of scripts/declarations.ts). */
const DECLARATIONS_DIR = '.types';

/** A line of tsup's output that is a warning of the declaration bundler. */
export const DECLARATION_WARNING = /\[plugin dts\]|TS2742/;

/**
 * The declaration bundler's warnings in `output` (tsup's stdout and stderr), colours removed.
 * @param {string} output
 * @returns {string[]}
 */
export function declarationWarnings(output) {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: removes terminal colours
  const lines = output.replace(/\u001b\[[0-9;]*m/g, '').split('\n');
  return lines.filter((line) => DECLARATION_WARNING.test(line)).map((line) => line.trim());
}

/**
 * Emits the declarations of `src/` of the package in `folder` into its `.types/` (emptied first) with TypeScript 7's
 * compiler, under the package's tsconfig.json, without checking the types. Its errors go to stdout.
 * @param {string} folder
 * @returns {boolean} whether it succeeded
 */
export function emitDeclarations(folder) {
  const out = join(folder, DECLARATIONS_DIR);
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out);
  const compilerOptions = {
    noEmit: false,
    declaration: true,
    emitDeclarationOnly: true,
    noCheck: true,
    sourceMap: false,
    declarationMap: false,
    rootDir: '../src',
    outDir: '.',
  };
  writeFileSync(join(out, 'tsconfig.json'), JSON.stringify({ extends: '../tsconfig.json', compilerOptions, include: ['../src'] }));
  const tsc = join(dirname(createRequire(import.meta.url).resolve('typescript-7/package.json')), 'bin', 'tsc');
  const run = spawnSync(process.execPath, [tsc, '-p', join(out, 'tsconfig.json')], { cwd: folder, stdio: 'inherit' });
  if (run.error)
    console.error(`build: could not run TypeScript 7 (${tsc}): ${run.error.message}; run pnpm install at the repository's root`);
  return run.status === 0;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  if (process.env.TEAMSTATE_BUILD_TYPES !== '0' && !emitDeclarations(process.cwd())) {
    console.error("build: TypeScript could not emit the package's type declarations (above)");
    process.exit(1);
  }
  const tsup = fileURLToPath(new URL('../node_modules/.bin/tsup', import.meta.url));
  const workerConsole = fileURLToPath(new URL('./worker-console.cjs', import.meta.url));
  const env = { ...process.env, NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --require ${JSON.stringify(workerConsole)}`.trim() };
  const child = spawn(tsup, process.argv.slice(2), { stdio: ['inherit', 'pipe', 'pipe'], env });
  let output = '';
  child.stdout.on('data', (chunk) => {
    output += chunk;
    process.stdout.write(chunk);
  });
  child.stderr.on('data', (chunk) => {
    output += chunk;
    process.stderr.write(chunk);
  });
  child.on('error', (error) => {
    console.error(`build: could not run tsup (${tsup}): ${error.message}; run pnpm install at the repository's root`);
    process.exitCode = 1;
  });
  child.on('close', (code, signal) => {
    const warnings = declarationWarnings(output);
    if (warnings.length > 0) {
      console.error(
        `build: the type declarations' bundler warned ${warnings.length === 1 ? 'once' : `${warnings.length} times`}: ` +
          "export each type it names from the package's entry that uses it (from src/index.ts, for core), or users get TS2742",
      );
      process.exitCode = 1;
    } else process.exitCode = code ?? (signal ? 1 : 0);
  });
}
