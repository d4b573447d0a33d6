import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { manifest, publishedPackages, ROOT, run } from './repository.js';

// What the release workflow would do, short of publishing: the changesets make one release plan, and every package
// packs into something npm and TypeScript users can install (publint), with the fields npm shows and checks.

const temp = mkdtempSync(join(tmpdir(), 'teamstate-release-'));
afterAll(() => rmSync(temp, { recursive: true, force: true }));

const NAMES = ['@teamstate/cli', '@teamstate/connectors', '@teamstate/core', '@teamstate/mcp-server', '@teamstate/metrics'];

interface ReleasePlan {
  changesets: { id: string; releases: { name: string; type: string }[] }[];
  releases: { name: string; type: 'major' | 'minor' | 'patch' | 'none'; oldVersion?: string; newVersion?: string }[];
}

/**
 * `changeset status` compares with the base branch, main; a pull request's checkout may have only origin/main, and a
 * clone of one branch neither (it is then its own base: the plan is read from the changesets alone).
 */
function baseBranchArguments(): string[] {
  if (run('git', ['rev-parse', '--verify', '--quiet', 'main']).status === 0) return [];
  if (run('git', ['rev-parse', '--verify', '--quiet', 'origin/main']).status === 0) return ['--since', 'origin/main'];
  return ['--since', 'HEAD'];
}

describe('a release dry run', () => {
  it('every published package.json has the MIT license, the repository, engines node >=22.12 and typed exports', () => {
    const urls = new Set<string>();
    for (const folder of publishedPackages()) {
      const pkg = manifest(folder);
      expect(NAMES, folder).toContain(pkg.name);
      expect(pkg.license, folder).toBe('MIT');
      expect(pkg.engines, folder).toEqual({ node: '>=22.12' });
      expect(pkg.repository, folder).toEqual({
        type: 'git',
        url: expect.stringMatching(/^git\+https:\/\/github\.com\/[\w.-]+\/[\w.-]+\.git$/),
        directory: folder,
      });
      urls.add(pkg.repository!.url!);
      expect(pkg.exports, folder).toBeDefined();
      for (const [subpath, target] of Object.entries(pkg.exports!)) {
        if (subpath === './package.json') continue;
        // Types first (TypeScript takes the first condition that matches), then the ESM entry.
        expect(typeof target === 'object' && Object.keys(target), `${folder} exports["${subpath}"]`).toEqual([
          'types',
          'import',
          'default',
        ]);
        const conditions = target as Record<string, string>;
        expect(conditions.types, `${folder} exports["${subpath}"].types`).toMatch(/^\.\/dist\/.+\.d\.ts$/);
        expect(conditions.import, `${folder} exports["${subpath}"].import`).toBe(conditions.types!.replace(/\.d\.ts$/, '.js'));
      }
    }
    // One repository for the five.
    expect(urls.size).toBe(1);
  });

  it('`changeset status` reads every changeset into one release plan that moves the five packages to one version', () => {
    const output = join(temp, 'release-plan.json');
    const since = baseBranchArguments();
    const status = run(join(ROOT, 'node_modules/.bin/changeset'), ['status', '--output', output, ...since]);
    expect(status.status, status.stderr + status.stdout).toBe(0);
    const plan = JSON.parse(readFileSync(output, 'utf8')) as ReleasePlan;
    if (since.length === 0) {
      // Every changeset file was read (one that names an unknown package fails above).
      const files = readdirSync(join(ROOT, '.changeset')).filter((file) => file.endsWith('.md') && file !== 'README.md');
      expect(plan.changesets.map((changeset) => `${changeset.id}.md`).sort()).toEqual(files.sort());
    }
    for (const changeset of plan.changesets) {
      for (const release of changeset.releases) expect(NAMES, `.changeset/${changeset.id}.md`).toContain(release.name);
    }
    const released = plan.releases.filter((release) => release.type !== 'none');
    if (plan.changesets.length === 0) expect(released).toEqual([]);
    else {
      // The fixed group in .changeset/config.json: all five, at one version, never a private package.
      expect(released.map((release) => release.name).sort()).toEqual(NAMES);
      expect(new Set(released.map((release) => release.newVersion)).size).toBe(1);
      expect(released.map((release) => release.oldVersion)).toEqual(released.map((release) => manifest(folderOf(release.name)).version));
    }
  });

  it('publint finds nothing to fix, even as a warning, in any packed package', () => {
    expect(publishedPackages()).toHaveLength(NAMES.length);
    for (const folder of publishedPackages()) {
      const lint = run(join(ROOT, 'node_modules/.bin/publint'), ['run', '--strict', folder]);
      expect(lint.status, `${folder}: ${lint.stdout}${lint.stderr}`).toBe(0);
      expect(lint.stdout, folder).toContain('All good!');
    }
  });
});

function folderOf(name: string): string {
  const folder = publishedPackages().find((candidate) => manifest(candidate).name === name);
  if (!folder) throw new Error(`no package named ${name} under packages/`);
  return folder;
}
