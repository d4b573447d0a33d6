// A process opening a new database the way the second one of a process is: `open-new.ts <database>` opens a new
// in-memory store first (the process then sets up new databases from it), then the given one, and prints its tags.
import { openStore } from '../../src/kernel/store/open-store.js';
import { migrations } from '../../src/migrations.js';

const [database] = process.argv.slice(2);
await (await openStore({ database: ':memory:', migrations })).close();
const store = await openStore({ database: database!, migrations });
try {
  process.stdout.write(String((await store.execute('SELECT count(*) AS n FROM __teamstate_migrations')).rows[0]?.n));
} finally {
  await store.close();
}
