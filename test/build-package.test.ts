import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { declarationWarnings } from '../scripts/build-package.mjs';
import { declarations } from '../scripts/declarations.js';
import { manifest, publishedPackages, ROOT } from './repository.js';

// Every package builds through scripts/build-package.mjs: TypeScript 7 emits the declarations of `src/` into `.types/`,
// then tsup builds the JavaScript and bundles those declarations (`dts: declarations(entry)`), and the build fails when
// the declaration bundler warns (tsup itself reports success): `pnpm build`, a step of CI, then fails for a type a
// declaration uses that its entry does not export. Here a package of two entries sharing a type shows the bundler's
// real warning.

const BUILT = publishedPackages();
let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'teamstate-build-package-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/**
 * A package whose two entries return a type of a module they share; `exported`: each entry exports that type too.
 * Its tsup options are those of the packages' tsup.config.ts, in its package.json (a config file here could not
 * import tsup).
 */
function twoEntries(name: string, exported: boolean): string {
  const folder = join(dir, name);
  mkdirSync(join(folder, 'src'), { recursive: true });
  const entry = ['src/a.ts', 'src/b.ts'];
  const tsup = { entry, format: ['esm'], dts: declarations(entry) };
  const files: Record<string, string> = {
    'package.json': JSON.stringify({ name, type: 'module', private: true, tsup }),
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
  spawnSync(process.execPath, [join(ROOT, 'scripts/build-package.mjs')], {
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
    // One warning per entry naming the type: none lost with tsup's worker (scripts/worker-console.cjs).
    expect(run.stderr).toContain("build: the type declarations' bundler warned 2 times: export each type it names");
  });

  it('passes, with tsup’s output, when every such type is exported', { timeout: 120_000 }, () => {
    const folder = twoEntries('exported-type', true);
    const run = build(folder);
    expect(run.status, run.stdout + run.stderr).toBe(0);
    expect(run.stdout).toMatch(/DTS ⚡️ Build success/);
    expect(declarationWarnings(run.stdout + run.stderr)).toEqual([]);
    // The declarations TypeScript emitted, bundled: a's names the shared type, which it exports.
    expect(readFileSync(join(folder, '.types/a.d.ts'), 'utf8')).toContain('import("./shared.js").Shared');
    const bundled = readFileSync(join(folder, 'dist/a.d.ts'), 'utf8');
    expect(bundled).toMatch(/declare const a: \(\) => Shared;/);
    expect(bundled).toMatch(/export \{[^}]*\bShared\b[^}]*\}/);
  });

  it('fails, saying so, when TypeScript cannot emit the declarations', { timeout: 120_000 }, () => {
    const folder = twoEntries('syntax-error', true);
    writeFileSync(join(folder, 'src/b.ts'), 'export const b = (;\n');
    const run = build(folder);
    expect(run.status, run.stdout + run.stderr).toBe(1);
    expect(run.stdout).toContain('src/b.ts');
    expect(run.stderr).toContain("build: TypeScript could not emit the package's type declarations (above)");
    expect(existsSync(join(folder, 'dist'))).toBe(false);
  });

  it('leaves the declarations out when TEAMSTATE_BUILD_TYPES=0', () => {
    const saved = process.env.TEAMSTATE_BUILD_TYPES;
    process.env.TEAMSTATE_BUILD_TYPES = '0';
    try {
      expect(declarations(['src/index.ts'])).toBe(false);
    } finally {
      if (saved === undefined) delete process.env.TEAMSTATE_BUILD_TYPES;
      else process.env.TEAMSTATE_BUILD_TYPES = saved;
    }
    expect(declarations(['src/index.ts', 'src/bin.ts'])).toEqual({ entry: { index: '.types/index.d.ts', bin: '.types/bin.d.ts' } });
    expect(declarations({ 'store/index': 'src/store.ts' })).toEqual({ entry: { 'store/index': '.types/store.d.ts' } });
    expect(() => declarations(['lib/index.ts'])).toThrow('declarations: lib/index.ts is not a .ts file under src/');
  });

  it('type-checks with TypeScript 7 and bundles the declarations with TypeScript 6', () => {
    // `tsc` is the newer of the two packages' commands; tsup's declaration bundler imports `typescript`, whose
    // compiler API TypeScript 7 does not have.
    const tsc = spawnSync(join(ROOT, 'node_modules/.bin/tsc'), ['--version'], { encoding: 'utf8' });
    expect(tsc.stdout).toMatch(/^Version 7\./);
    expect(createRequire(join(ROOT, 'package.json'))('typescript/package.json').version).toMatch(/^6\./);
  });

  it('finds the warnings in coloured output', () => {
    expect(declarationWarnings('\u001b[33m[plugin dts]\u001b[39m Entry "a.d.ts" …\nDTS ok\nerror TS2742: x\n')).toEqual([
      '[plugin dts] Entry "a.d.ts" …',
      'error TS2742: x',
    ]);
  });
});
