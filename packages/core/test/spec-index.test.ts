import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as spec from '@teamstate/core/spec';
import { describe, expect, it } from 'vitest';

describe('@teamstate/core/spec', () => {
  it('exports the contracts as types plus only defineActionType and the errors a handler throws', () => {
    expect(Object.keys(spec).sort()).toEqual([
      'TeamStateError',
      'UpstreamError',
      'ValidationError',
      'WebhookPayloadError',
      'defineActionType',
    ]);
  });

  it('loads without the implementation: the built entry reaches only its own chunks and zod, never the store or drizzle', () => {
    const entry = fileURLToPath(new URL('../dist/spec/index.js', import.meta.url));
    expect(existsSync(entry), 'packages/core/dist is missing: run pnpm build').toBe(true);
    const seen = new Set<string>();
    const external = new Set<string>();
    const visit = (file: string) => {
      if (seen.has(file)) return;
      seen.add(file);
      for (const [, specifier] of readFileSync(file, 'utf8').matchAll(/(?:from|import)\s*\(?\s*"([^"]+)"/g)) {
        if (specifier!.startsWith('.')) visit(resolve(dirname(file), specifier!));
        else external.add(specifier!);
      }
    };
    visit(entry);
    expect([...external].filter((name) => name !== 'zod')).toEqual([]);
  });
});
