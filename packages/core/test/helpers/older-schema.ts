import { createClient } from '@libsql/client';
import { migrations } from '../../src/kernel/store/migrations.generated.js';

/**
 * Gives an empty libSQL server the schema an older teamstate left there: every migration but the last. Returns the
 * tag of the one left out and a raw client on the server (close it).
 */
export async function applyOlderSchema(url: string, authToken?: string) {
  const client = createClient({ url, authToken });
  await client.execute('CREATE TABLE __teamstate_migrations (tag TEXT PRIMARY KEY, applied_at INTEGER NOT NULL)');
  for (const migration of migrations.slice(0, -1)) {
    for (const statement of migration.statements) await client.execute(statement);
    await client.execute({ sql: 'INSERT INTO __teamstate_migrations VALUES (?, 0)', args: [migration.tag] });
  }
  return { client, missing: migrations.at(-1)!.tag };
}
