import { describe, expect, it } from 'vitest';
import { freshSchema } from '../packages/core/src/fresh-schema.generated.js';
import { migrationsDigest } from '../packages/core/src/kernel/store/fresh-schema.js';
import { migrations } from '../packages/core/src/migrations.js';
import { FRESH_SCHEMA_FILE, migratedFreshSchema, renderFreshSchema } from '../scripts/fresh-schema.js';
import { readRepositoryFile } from './repository.js';

// New databases are set up from packages/core/src/fresh-schema.generated.ts while its digest is the migrations' (a
// stale one is not used, and new databases run every migration again): it must be regenerated with each migration.
describe('the schema known ahead for new databases', () => {
  it(`is what this version's migrations write (after adding one: pnpm exec tsx scripts/generate-fresh-schema.ts)`, async () => {
    expect(readRepositoryFile(FRESH_SCHEMA_FILE)).toBe(renderFreshSchema(await migratedFreshSchema()));
    expect(freshSchema.digest).toBe(migrationsDigest(migrations));
  });
});
