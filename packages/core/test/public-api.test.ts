import { readFileSync } from 'node:fs';
import * as core from '@teamstate/core';
import { describe, expect, it } from 'vitest';

describe('@teamstate/core public surface', () => {
  it('exports the facade, the errors, the model and the store entry points', () => {
    for (const name of [
      'createTeamState',
      'TeamStateError',
      'ValidationError',
      'NotFoundError',
      'bundleSchema',
      'bundleJsonSchema',
      'parseBundle',
      'openStore',
      'BUNDLE_FORMAT',
      'workItemSchema',
      'createStderrLogger',
    ]) {
      expect(core, name).toHaveProperty(name);
    }
    expect(core.BUNDLE_FORMAT).toBe('teamstate.bundle/v1');
  });

  it('publishes the bundle JSON Schema as generated from the zod schema (pnpm exec tsx scripts/generate-bundle-schema.ts)', () => {
    const published = JSON.parse(readFileSync(new URL('../schema/teamstate.bundle.v1.json', import.meta.url), 'utf8'));
    expect(published).toEqual(core.bundleJsonSchema());
    expect(published.properties.workItems.items.required).toEqual(['id', 'source', 'kind', 'key', 'title', 'state', 'createdAt']);
  });
});
