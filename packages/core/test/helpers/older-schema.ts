import { createClient } from '@libsql/client';
import { migrations } from '../../src/migrations.js';

/**
 * Gives an empty libSQL server the schema an older teamstate left there: every migration but the last. Returns the
 * tag of the one left out and a raw client on the server (close it).
 */
export async function applyOlderSchema(url: string, authToken?: string) {
  const client = createClient({ url, authToken });
  const missing = migrations.at(-1)!.tag;
  await client.execute('CREATE TABLE __teamstate_migrations (tag TEXT PRIMARY KEY, applied_at INTEGER NOT NULL)');
  for (const [i, part] of migrations.entries()) {
    if (part.tag === missing) break;
    for (const statement of part.statements) await client.execute(statement);
    // A tag is recorded once, after its last part.
    if (migrations[i + 1]?.tag !== part.tag)
      await client.execute({ sql: 'INSERT INTO __teamstate_migrations VALUES (?, 0)', args: [part.tag] });
  }
  return { client, missing };
}
