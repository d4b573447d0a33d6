// The bench children report their own peak memory (issue 23: import and sync at ≤ 512 MB), not their parent's.
import { spawnSync } from 'node:child_process';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';

const helper = pathToFileURL(fileURLToPath(new URL('../../../scripts/peak-rss.ts', import.meta.url))).href;

describe('peakRssMb (bench children)', () => {
  it("is the child's own peak, not the peak of the process that started it", () => {
    // This process holds 300 MB more than a bare Node process while it starts the child.
    const ballast = Buffer.alloc(300 * 1024 * 1024, 1);
    const child = spawnSync(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        `const { peakRssMb } = await import(${JSON.stringify(helper)});
         process.stdout.write(JSON.stringify({ own: peakRssMb(), maxRSS: process.resourceUsage().maxRSS / 1024 }));`,
      ],
      { encoding: 'utf8' },
    );
    expect(child.status, child.stderr).toBe(0);
    const { own, maxRSS } = JSON.parse(child.stdout) as { own: number; maxRSS: number };
    // The kernel's maxRSS of the child starts from this process's.
    expect(maxRSS).toBeGreaterThan(300);
    expect(own).toBeGreaterThan(10);
    expect(own).toBeLessThan(200);
    expect(ballast[ballast.length - 1]).toBe(1);
  });
});
