import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { declarationWarnings } from '../scripts/build-package.mjs';
import { manifest, publishedPackages, ROOT } from './repository.js';

// Every package builds through scripts/build-package.mjs, which fails when the declaration bundler warns (tsup itself
// reports success): `pnpm build`, a step of CI, then fails for a type a declaration uses that its entry does not
// export. Here a package of two entries sharing a type shows the bundler's real warning.

const BUILT = publishedPackages();
let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'teamstate-build-package-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A package whose two entries return a type of a module they share; `exported`: each entry exports that type too. */
function twoEntries(name: string, exported: boolean): string {
  const folder = join(dir, name);
  mkdirSync(join(folder, 'src'), { recursive: true });
  const files: Record<string, string> = {
    'package.json': JSON.stringify({ name, type: 'module', private: true }),
    'tsconfig.json': JSON.stringify({
      compilerOptions: { target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext', strict: true },
    }),
    'src/shared.ts': 'export interface Shared { name: string }\nexport const make = (name: string): Shared => ({ name });\n',
  };
  for (const entry of ['a', 'b'])
    files[`src/${entry}.ts`] =
      `import { make } from './shared.js';\n${exported ? "export type { Shared } from './shared.js';\n" : ''}export const ${entry} = () => make('${entry}');\n`;
  for (const [file, text] of Object.entries(files)) writeFileSync(join(folder, file), text);
  return folder;
}

const build = (folder: string) =>
  spawnSync(process.execPath, [join(ROOT, 'scripts/build-package.mjs'), 'src/a.ts', 'src/b.ts', '--format', 'esm', '--dts'], {
    cwd: folder,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1' },
  });

describe('a package build', () => {
  it('is the build of every package with a build', () => {
    for (const name of BUILT) expect(manifest(name).scripts?.build, name).toBe('node ../../scripts/build-package.mjs');
  });

  it('fails, saying what to do, when the declarations use a type their entry does not export', { timeout: 120_000 }, () => {
    const run = build(twoEntries('private-type', false));
    expect(run.status, run.stdout + run.stderr).toBe(1);
    expect(run.stderr).toContain('private shared type exports with no public re-export: Shared');
    expect(run.stderr).toContain("build: the type declarations' bundler warned 2 times: export each type it names");
  });

  it('passes, with tsup’s output, when every such type is exported', { timeout: 120_000 }, () => {
    const run = build(twoEntries('exported-type', true));
    expect(run.status, run.stdout + run.stderr).toBe(0);
    expect(run.stdout).toMatch(/DTS ⚡️ Build success/);
    expect(declarationWarnings(run.stdout + run.stderr)).toEqual([]);
  });

  it('finds the warnings in coloured output', () => {
    expect(declarationWarnings('\u001b[33m[plugin dts]\u001b[39m Entry "a.d.ts" …\nDTS ok\nerror TS2742: x\n')).toEqual([
      '[plugin dts] Entry "a.d.ts" …',
      'error TS2742: x',
    ]);
  });
});
