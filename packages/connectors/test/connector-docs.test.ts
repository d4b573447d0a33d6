import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { connectorRegistry } from '@teamstate/connectors/registry';
import { describe, expect, it } from 'vitest';
import type { z } from 'zod';

// Every key a config file may set under `connectors.<name>` is documented on the connector's page (its options table
// or its YAML example), and the keys its errors tell people to check are ones they can set.
const DOCS = fileURLToPath(new URL('../../../docs/connectors/', import.meta.url));

/** The keys of a connector's config section (its schema's object shape). */
function keysOf(schema: z.ZodType): string[] {
  const shape = (schema as unknown as { shape?: Record<string, unknown> }).shape;
  return shape ? Object.keys(shape) : [];
}

describe('the connectors’ documentation', () => {
  const documented = Object.values(connectorRegistry).filter((registration) => registration.name !== 'demo');

  it.each(documented.map((registration) => [registration.name, registration] as const))(
    'docs/connectors/%s.md names every key of its config section',
    (name, registration) => {
      const page = `${DOCS}${name}.md`;
      expect(existsSync(page), page).toBe(true);
      const text = readFileSync(page, 'utf8');
      const keys = keysOf(registration.configSchema);
      expect(keys.length).toBeGreaterThan(0);
      // In the options table (`key`, `key: { … }`, `key.sub`) or as a key of the page's YAML example.
      const named = (key: string) => new RegExp(`\`${key}[\`.: ]|^\\s+${key}:`, 'm').test(text);
      expect(keys.filter((key) => !named(key))).toEqual([]);
    },
  );

  it('lets a config set the address the Linear connector names when Linear cannot be reached', () => {
    expect(keysOf(connectorRegistry.linear.configSchema)).toContain('url');
    expect(readFileSync(`${DOCS}linear.md`, 'utf8')).toMatch(/\| `url` +\|/);
  });
});
