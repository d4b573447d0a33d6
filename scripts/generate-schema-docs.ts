// Writes docs/data-model.md from the drizzle schema (docs/data-model.test.ts fails when it is stale).
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderDataModel } from './schema-docs.js';

writeFileSync(join(import.meta.dirname, '..', 'docs', 'data-model.md'), renderDataModel());
console.log('wrote docs/data-model.md');
