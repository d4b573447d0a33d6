import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { staleBuild } from './fresh-build.js';

let root: string;
const at = (path: string, iso: string) => utimesSync(path, new Date(iso), new Date(iso));
function file(path: string, iso: string, text = '') {
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(path, text);
  at(path, iso);
}

// A workspace in a temp folder: cli depends on core; times are set by hand.
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'teamstate-fresh-'));
  file(join(root, 'packages/core/package.json'), '2026-01-01T00:00:00Z', '{}');
  file(join(root, 'packages/core/src/index.ts'), '2026-01-01T00:00:00Z');
  file(
    join(root, 'packages/cli/package.json'),
    '2026-01-01T00:00:00Z',
    JSON.stringify({ dependencies: { '@teamstate/core': 'workspace:*', commander: '1' } }),
  );
  file(join(root, 'packages/cli/src/commands/x.ts'), '2026-01-01T00:00:00Z');
  file(join(root, 'packages/cli/src/commands/x.test.ts'), '2026-06-01T00:00:00Z');
  file(join(root, 'packages/cli/dist/bin.js'), '2026-02-01T00:00:00Z');
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

describe('staleBuild (subprocess tests never run an old build)', () => {
  it('passes a build newer than every source of the package and its workspace dependencies (tests do not count)', () => {
    expect(staleBuild(join(root, 'packages/cli'), 'dist/bin.js', { root })).toBeUndefined();
  });

  it('names the newer source of the package itself, and says to build', () => {
    at(join(root, 'packages/cli/src/commands/x.ts'), '2026-03-01T00:00:00Z');
    expect(staleBuild(join(root, 'packages/cli'), 'dist/bin.js', { root })).toBe(
      'packages/cli/dist/bin.js is older than packages/cli/src/commands/x.ts: run pnpm build (this test runs the built package)',
    );
  });

  it('names a newer source of a workspace dependency', () => {
    at(join(root, 'packages/core/src/index.ts'), '2026-03-01T00:00:00Z');
    expect(staleBuild(join(root, 'packages/cli'), 'dist/bin.js', { root })).toMatch(
      /older than packages\/core\/src\/index\.ts: run pnpm build/,
    );
  });

  it('says so when the build is missing', () => {
    rmSync(join(root, 'packages/cli/dist'), { recursive: true });
    expect(staleBuild(join(root, 'packages/cli'), 'dist/bin.js', { root })).toBe('packages/cli/dist/bin.js is missing: run pnpm build');
  });
});
