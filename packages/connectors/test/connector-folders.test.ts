import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { connectorRegistry } from '@teamstate/connectors/registry';
import { describe, expect, it } from 'vitest';
import tsupConfig from '../tsup.config.js';

// A connector is one folder under src/: adding one means its registry entry, its subpath export, its build entry and
// its page under docs/connectors/ (docs/extending.md, "Adding a connector"). This test fails when one is missing.
const PACKAGE = join(import.meta.dirname, '..');
const DOCS = join(PACKAGE, '..', '..', 'docs', 'connectors');

/** Folders of src/ that are not connectors: shared code, and the registry itself (exported and built, no page). */
const NOT_CONNECTORS = new Set(['upstream', 'registry']);
/** Where a connector folder may lack one of the four, and why. */
const EXCEPTIONS: Record<'registry' | 'docs', Record<string, string>> = {
  registry: { confluence: 'a knowledge source: it is configured under knowledge.confluence, not connectors' },
  docs: { demo: 'the synthetic organisation needs no credentials; docs/getting-started.md shows it' },
};

const folders = readdirSync(join(PACKAGE, 'src'), { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => entry.name);
const connectors = folders.filter((name) => !NOT_CONNECTORS.has(name));
const exported = Object.keys(JSON.parse(readFileSync(join(PACKAGE, 'package.json'), 'utf8')).exports as Record<string, unknown>)
  .filter((key) => key !== './package.json')
  .map((key) => key.slice(2));
const config = (Array.isArray(tsupConfig) ? tsupConfig[0] : tsupConfig) as { entry: Record<string, string> };
const built = Object.entries(config.entry);

describe('each connector folder is wired up', () => {
  it('finds the connector folders', () => {
    expect(connectors.length).toBeGreaterThanOrEqual(4);
  });

  it.each(connectors)('%s has an index.ts, a subpath export and a build entry', (name) => {
    expect(existsSync(join(PACKAGE, 'src', name, 'index.ts')), `src/${name}/index.ts`).toBe(true);
    expect(exported, `package.json exports has no "./${name}"`).toContain(name);
    expect(built, `tsup.config.ts entry has no '${name}/index': 'src/${name}/index.ts'`).toContainEqual([
      `${name}/index`,
      `src/${name}/index.ts`,
    ]);
  });

  it.each(connectors)('%s has a registry entry, unless it is an exception', (name) => {
    const registered = Object.keys(connectorRegistry);
    if (EXCEPTIONS.registry[name]) expect(registered, `${name} is listed as an exception`).not.toContain(name);
    else expect(registered, `src/registry/index.ts has no entry "${name}"`).toContain(name);
  });

  it.each(connectors)('%s has its page docs/connectors/%s.md, unless it is an exception', (name) => {
    if (!EXCEPTIONS.docs[name]) expect(existsSync(join(DOCS, `${name}.md`)), `docs/connectors/${name}.md is missing`).toBe(true);
  });

  it('exports, builds and registers nothing that has no folder', () => {
    expect(
      exported.filter((name) => !folders.includes(name)),
      'exports without a folder',
    ).toEqual([]);
    expect(
      built.filter(([, source]) => !existsSync(join(PACKAGE, source))).map(([entry]) => entry),
      'build entries without a source',
    ).toEqual([]);
    expect(
      Object.keys(connectorRegistry).filter((name) => !connectors.includes(name)),
      'registry entries without a folder',
    ).toEqual([]);
    expect(exported, 'the registry is exported').toContain('registry');
    const pages = readdirSync(DOCS).map((file) => file.replace(/\.md$/, ''));
    expect(
      pages.filter((page) => !connectors.includes(page)),
      'docs/connectors pages without a folder',
    ).toEqual([]);
  });
});
