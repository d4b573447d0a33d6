#!/usr/bin/env node
// A package's build (its `build` script, which `pnpm build` runs): tsup with the arguments given, its output shown as it
// comes, failing when the type declarations' bundler warns. tsup reports success anyway, but each such warning is an
// error in a user's project: a declaration that uses a type its entry does not export (shared between entries, in a
// chunk of its own) cannot be named there (TS2742). Plain syntax, so an old Node.js can parse it.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

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

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const tsup = fileURLToPath(new URL('../node_modules/.bin/tsup', import.meta.url));
  const child = spawn(tsup, process.argv.slice(2), { stdio: ['inherit', 'pipe', 'pipe'] });
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
