import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { builtinFeatures } from '../src/features/index.js';

// The shape docs/architecture.md describes, where the dependency rules of `pnpm lint` cannot see it.

const src = join(import.meta.dirname, '../src');
const folders = (layer: string) =>
  readdirSync(join(src, layer), { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => `${layer}/${entry.name}`);
const features = folders('features');
const services = folders('services');

describe('core layout', () => {
  it('lists every feature folder once in the feature list, each by the definition in its feature.ts', async () => {
    const listed = builtinFeatures();
    expect(listed).toHaveLength(features.length);
    for (const folder of features) {
      // A definition is exported as it is, or built by a factory from options (ai's, from the AI detection entries).
      const module: Record<string, unknown> = await import(join(src, folder, 'feature.ts'));
      const names = Object.entries(module)
        .filter(([key]) => key.endsWith('Feature'))
        .map(([, value]) => (typeof value === 'function' ? value() : value) as { name: string })
        .map((definition) => definition.name);
      expect(names, folder).toHaveLength(1);
      expect(
        listed.filter((feature) => feature.name === names[0]),
        folder,
      ).toHaveLength(1);
    }
  });

  it('composes the facade in a team-state.ts of at most 200 lines', () => {
    expect(readFileSync(join(src, 'team-state.ts'), 'utf8').trimEnd().split('\n').length).toBeLessThanOrEqual(200);
  });

  it("gives every feature and service folder an index.ts: a service's door, a feature's public names", () => {
    expect([...services, ...features].filter((folder) => !existsSync(join(src, folder, 'index.ts')))).toEqual([]);
  });

  it('declares every table in the schema.ts (or schema/ folder) of the folder that owns it', () => {
    const declaring = [join(src, 'records'), ...[...services, ...features].map((folder) => join(src, folder))].flatMap((folder) =>
      readdirSync(folder, { recursive: true, encoding: 'utf8' })
        .filter(
          (file) =>
            file.endsWith('.ts') &&
            !file.endsWith('schema.ts') &&
            !file.startsWith('schema/') &&
            readFileSync(join(folder, file), 'utf8').includes('sqliteTable('),
        )
        .map((file) => join(folder, file)),
    );
    expect(declaring).toEqual([]);
  });
});
