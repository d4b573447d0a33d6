import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { extractBlocks } from '../docs/runnable-blocks.js';
import { staleBuild } from '../packages/cli/test/fresh-build.js';
import { manifest, pnpm, publishedPackages, type Ran, ROOT, readRepositoryFile, run } from './repository.js';

// The packages as npm users get them: `pnpm pack` each one, `npm install` the tarballs (and, from the npm registry,
// their third-party dependencies) into an empty folder, then run `npx teamstate demo` and the README's SDK example
// there. The slowest test of the suite (the install downloads what the npm cache lacks): minutes, not seconds.

const INSTALL_TIMEOUT = 20 * 60_000;
const temp = mkdtempSync(join(tmpdir(), 'teamstate-packed-'));
const packs = join(temp, 'packs');
const app = join(temp, 'app');
afterAll(() => rmSync(temp, { recursive: true, force: true }));

/** This process's environment without pnpm's `npm_*` variables (the test may run under `pnpm test`): npm reads those as its config. */
function npmEnvironment(): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(process.env).filter(([name]) => !/^npm_/i.test(name)));
}

function succeeded(what: string, ran: Ran): Ran {
  expect(ran.status, `${what} failed:\n${ran.stdout}\n${ran.stderr}`).toBe(0);
  return ran;
}

/** The file names in a tarball, without tar's `package/` prefix. */
function tarballFiles(tarball: string): string[] {
  return succeeded(`tar -tzf ${tarball}`, run('tar', ['-tzf', tarball]))
    .stdout.split('\n')
    .filter(Boolean)
    .map((line) => line.replace(/^package\//, ''));
}

describe('the packed packages, installed with npm into an empty folder', () => {
  const tarballs = new Map<string, string>();

  beforeAll(() => {
    mkdirSync(packs);
    mkdirSync(app);
    const { command, prefix } = pnpm();
    for (const folder of publishedPackages()) {
      // A tarball of an old build would test old code: every package is built after its newest source.
      const exports = manifest(folder).exports ?? {};
      const entry = Object.values(exports).find((target) => typeof target === 'object') as Record<string, string>;
      // The declarations too: `pnpm demo` builds the JavaScript only, and `pnpm build` adds them.
      const stale = staleBuild(join(ROOT, folder), entry.import!) ?? staleBuild(join(ROOT, folder), entry.types!);
      if (stale) throw new Error(stale);
      const before = new Set(readdirSync(packs));
      succeeded(`pnpm pack in ${folder}`, run(command, [...prefix, 'pack', '--pack-destination', packs], { cwd: join(ROOT, folder) }));
      const [tarball] = readdirSync(packs).filter((file) => !before.has(file));
      tarballs.set(manifest(folder).name, join(packs, tarball!));
    }
    writeFileSync(
      join(app, 'package.json'),
      `${JSON.stringify({ name: 'teamstate-packed-check', private: true, type: 'module' }, null, 2)}\n`,
    );
    succeeded(
      'npm install',
      run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error', ...tarballs.values()], {
        cwd: app,
        env: npmEnvironment(),
      }),
    );
  }, INSTALL_TIMEOUT);

  it('ships each package with its LICENSE, README and built code, and workspace versions made real', () => {
    expect([...tarballs.keys()].sort()).toEqual([
      '@teamstate/cli',
      '@teamstate/connectors',
      '@teamstate/core',
      '@teamstate/mcp-server',
      '@teamstate/metrics',
    ]);
    for (const [name, tarball] of tarballs) {
      const files = tarballFiles(tarball);
      expect(files, name).toEqual(expect.arrayContaining(['LICENSE', 'README.md', 'package.json']));
      expect(
        files.some((file) => file.startsWith('dist/') && file.endsWith('.d.ts')),
        name,
      ).toBe(true);
      // Nothing but what "files" lists: no sources, tests or fixtures.
      expect(
        files.filter((file) => /^(src|test|bench)\//.test(file) || file.endsWith('.test.js')),
        name,
      ).toEqual([]);
      const packed = succeeded('tar -xOzf', run('tar', ['-xOzf', tarball, 'package/package.json'])).stdout;
      expect(packed, name).not.toContain('workspace:');
    }
  });

  it('installs every @teamstate package from its tarball, none from the registry', () => {
    const lock = JSON.parse(readFileSync(join(app, 'package-lock.json'), 'utf8')) as {
      packages: Record<string, { resolved?: string; version?: string }>;
    };
    const teamstate = Object.entries(lock.packages).filter(([path]) => path.includes('node_modules/@teamstate/'));
    expect(teamstate.map(([path]) => path).sort()).toEqual([
      'node_modules/@teamstate/cli',
      'node_modules/@teamstate/connectors',
      'node_modules/@teamstate/core',
      'node_modules/@teamstate/mcp-server',
      'node_modules/@teamstate/metrics',
    ]);
    for (const [path, entry] of teamstate) {
      expect(entry.resolved, path).toMatch(/^file:/);
      expect(basename(entry.resolved!), path).toBe(basename(tarballs.get(path.replace('node_modules/', ''))!));
    }
    expect(readFileSync(join(app, 'node_modules/@teamstate/core/LICENSE'), 'utf8')).toBe(readRepositoryFile('LICENSE'));
  });

  it('`npx teamstate demo` creates the demo organisation in the database it is given and prints its state', () => {
    const database = join(temp, 'demo.db');
    const demo = succeeded(
      'npx teamstate demo',
      run('npx', ['--no', '--', 'teamstate', '--db', database, '--now', '2026-03-18T10:00:00Z', 'demo'], {
        cwd: app,
        env: npmEnvironment(),
      }),
    );
    expect(demo.stdout).toContain(`teamstate demo: Acme, a synthetic organisation, in file:${database} (workspace default)\n`);
    expect(demo.stdout).toContain('3 teams · 20 people · 5 repositories');
    expect(demo.stdout).toMatch(/^Payments +7 /m);
    expect(demo.stdout).toContain('DORA and flow, 2026-02-16 10:00 to 2026-03-18 10:00 UTC');
    expect(existsSync(database)).toBe(true);
    const version = succeeded(
      'npx teamstate --version',
      run('npx', ['--no', '--', 'teamstate', '--version'], { cwd: app, env: npmEnvironment() }),
    );
    expect(version.stdout).toBe(`${manifest('packages/cli').version}\n`);
  });

  it("runs the README's SDK example as a plain Node.js module", () => {
    const [example] = extractBlocks('README.md', readRepositoryFile('README.md'));
    expect(example?.code).toContain("from '@teamstate/core'");
    writeFileSync(join(app, 'readme-sdk.mjs'), example!.code);
    const sdk = succeeded('node readme-sdk.mjs', run(process.execPath, ['readme-sdk.mjs'], { cwd: app, env: npmEnvironment() }));
    // console.log of ts.overview(): the demo organisation's totals and teams.
    expect(sdk.stdout).toMatch(/totals: \{\s+teams: 3,\s+people: 20,\s+repositories: 5,/);
    for (const team of ['Growth', 'Payments', 'Platform']) expect(sdk.stdout).toContain(`name: '${team}'`);
    // The example's database is in the folder it ran in.
    expect(existsSync(join(app, '.teamstate', 'teamstate.db'))).toBe(true);
  });
});
