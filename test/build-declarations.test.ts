import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

// The type declarations the published packages ship, built as `pnpm build` builds them (into a temp folder, so the
// workspace's own build is left alone): every type a declaration uses is one its entry exports, so the bundler has
// nothing to warn about (a type it cannot name would be a TS2742 error in a user's project).
const ROOT = fileURLToPath(new URL('..', import.meta.url));
const out = mkdtempSync(join(tmpdir(), 'teamstate-declarations-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

/** Runs the package's tsup build with declarations into `out/<name>`; its output (stdout and stderr) and exit code. */
function buildWithDeclarations(name: string): { status: number | null; output: string } {
  const tsup = join(ROOT, 'node_modules/.bin/tsup');
  const run = spawnSync(tsup, ['--out-dir', join(out, name)], {
    cwd: join(ROOT, 'packages', name),
    encoding: 'utf8',
    env: { ...process.env, TEAMSTATE_BUILD_TYPES: '1', NO_COLOR: '1' },
  });
  return { status: run.status, output: `${run.stdout}${run.stderr}` };
}

describe('the type declarations of the packages with shared declaration chunks', () => {
  for (const name of ['core', 'connectors']) {
    it(`builds @teamstate/${name}'s declarations with no warning`, { timeout: 300_000 }, () => {
      const { status, output } = buildWithDeclarations(name);
      expect(status, output).toBe(0);
      expect(existsSync(join(out, name, name === 'core' ? 'index.d.ts' : 'jira/index.d.ts'))).toBe(true);
      expect(output).not.toMatch(/\[plugin dts\]|TS2742|private shared type/);
    });
  }
});
