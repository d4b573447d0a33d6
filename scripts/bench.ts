// `pnpm bench [filter]`: runs every packages/*/bench/*.bench.ts (after a build), or the one the filter names, and prints
// its figures.
// A bench module exports `run(report)`; it measures its own raw baseline in the same run, so ratios
// compare like with like on this (shared, noisy) machine. Figures, not pass/fail: no timing is asserted.
import { readdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import { pathToFileURL } from 'node:url';

export interface BenchReport {
  /** Prints a section heading. */
  section(title: string): void;
  /** Prints one figure: `name  value unit  (note)`. */
  figure(name: string, value: number, unit: string, note?: string): void;
}

const filter = process.argv[2];
const root = join(import.meta.dirname, '..', 'packages');
const files = readdirSync(root).flatMap((pkg) => {
  try {
    return readdirSync(join(root, pkg, 'bench'))
      .filter((f) => f.endsWith('.bench.ts'))
      .map((f) => join(root, pkg, 'bench', f));
  } catch {
    return [];
  }
});
const report: BenchReport = {
  section: (title) => console.log(`\n== ${title}`),
  figure: (name, value, unit, note) =>
    console.log(
      `  ${name.padEnd(48)} ${value.toLocaleString('en-US', { maximumFractionDigits: 2 }).padStart(14)} ${unit}${note ? `  (${note})` : ''}`,
    ),
};
// The filter matches the bench's file name only (a checkout's path may contain any word): a bench's exact name
// (`hub` for hub.bench.ts) runs that bench alone, anything else every bench whose file name contains it.
const exact = filter !== undefined && files.some((file) => basename(file) === `${filter}.bench.ts`);
for (const file of files.sort()) {
  if (filter && (exact ? basename(file) !== `${filter}.bench.ts` : !basename(file).includes(filter))) continue;
  const mod = (await import(pathToFileURL(file).href)) as { run: (r: BenchReport) => Promise<void> };
  await mod.run(report);
}
