// `pnpm bench [filter]`: runs every packages/*/bench/*.bench.ts (after a build) and prints its figures.
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
for (const file of files.sort()) {
  // The filter matches the bench's file name only (a checkout's path may contain any word).
  if (filter && !basename(file).includes(filter)) continue;
  const mod = (await import(pathToFileURL(file).href)) as { run: (r: BenchReport) => Promise<void> };
  await mod.run(report);
}
