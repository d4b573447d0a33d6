// Writes packages/core/src/fresh-schema.generated.ts: what a new database holds once every migration of this version
// has run, which sets up new databases in one transaction. Run it after adding a migration
// (packages/core/test/fresh-schema.test.ts fails while it is stale; a stale one is not used).
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { FRESH_SCHEMA_FILE, migratedFreshSchema, renderFreshSchema } from './fresh-schema.js';

const schema = await migratedFreshSchema();
writeFileSync(join(import.meta.dirname, '..', FRESH_SCHEMA_FILE), renderFreshSchema(schema));
console.log(`wrote ${FRESH_SCHEMA_FILE} (${schema.objects.length} schema objects, ${schema.tags.length} migrations)`);
