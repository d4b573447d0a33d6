// Writes packages/core/schema/teamstate.bundle.v1.json from the zod schema (a test fails when it is stale).
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { bundleJsonSchema } from '../packages/core/src/bundle.js';

const dir = join(import.meta.dirname, '..', 'packages', 'core', 'schema');
mkdirSync(dir, { recursive: true });
writeFileSync(join(dir, 'teamstate.bundle.v1.json'), `${JSON.stringify(bundleJsonSchema(), null, 2)}\n`);
console.log('wrote packages/core/schema/teamstate.bundle.v1.json');
