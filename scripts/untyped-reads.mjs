#!/usr/bin/env node
// Counts reads that bypass the typed row decoder in every package's source (tests excluded):
// `as unknown as` casts and String()/Number() of a property. `--list` prints each one.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

const root = join(import.meta.dirname, '..');
export const CAST = /\bas unknown as\b/g;
export const FIELD_CONVERSION = /\b(?:String|Number)\(\s*[A-Za-z_$][\w$]*(?:\[[^\]]+\])?(?:\??\.[A-Za-z_$][\w$]*)+\s*\)/g;

/** @returns {{ casts: string[]; conversions: string[] }} */
export function untypedReads() {
  /** @type {{ casts: string[]; conversions: string[] }} */
  const found = { casts: [], conversions: [] };
  for (const pkg of readdirSync(join(root, 'packages'))) {
    const src = join(root, 'packages', pkg, 'src');
    let files;
    try {
      files = readdirSync(src, { recursive: true, encoding: 'utf8' });
    } catch {
      continue;
    }
    for (const file of files) {
      if (!/\.tsx?$/.test(file) || /\.test\.tsx?$/.test(file) || file.includes('__fixtures__')) continue;
      const path = join(src, file);
      readFileSync(path, 'utf8')
        .split('\n')
        .forEach((line, i) => {
          const where = `${relative(root, path)}:${i + 1}`;
          for (const m of line.matchAll(CAST)) found.casts.push(`${where}: ${m[0]}`);
          for (const m of line.matchAll(FIELD_CONVERSION)) found.conversions.push(`${where}: ${m[0]}`);
        });
    }
  }
  return found;
}

if (process.argv[1] === import.meta.filename) {
  const { casts, conversions } = untypedReads();
  if (process.argv.includes('--list')) for (const line of [...casts, ...conversions]) console.log(line);
  console.log(`as unknown as: ${casts.length}; String()/Number() of a field: ${conversions.length}`);
}
