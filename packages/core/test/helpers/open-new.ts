// A process opening a new database: `open-new.ts <database>` opens it first thing (set up from the schema known ahead
// for this version's migrations) and prints how many migrations it records and how many times its schema changed.
import { openStore } from '../../src/kernel/store/open-store.js';
import { migrations } from '../../src/migrations.js';

const [database] = process.argv.slice(2);
const store = await openStore({ database: database!, migrations });
try {
  const { rows } = await store.execute(
    'SELECT (SELECT count(*) FROM __teamstate_migrations) AS tags, schema_version FROM pragma_schema_version',
  );
  process.stdout.write(JSON.stringify({ tags: Number(rows[0]?.tags), schemaVersion: Number(rows[0]?.schema_version) }));
} finally {
  await store.close();
}
