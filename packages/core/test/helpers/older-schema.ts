import { createClient } from '@libsql/client';
import { applyMigrations } from '../../src/kernel/store/migrate.js';
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
    // A batched rewrite (`-- in batches:`) has rows to write only in a database that had them before its migration.
    // An index built after the open (`-- after open:`) is its DROP and CREATE: more than one statement.
    for (const statement of part.statements) if (!statement.startsWith('-- in batches:')) await client.executeMultiple(statement);
    // A tag is recorded once, after its last part.
    if (migrations[i + 1]?.tag !== part.tag)
      await client.execute({ sql: 'INSERT INTO __teamstate_migrations VALUES (?, 0)', args: [part.tag] });
  }
  return { client, missing };
}

/**
 * A database file as the teamstate before the storage diet left it (every migration up to 0062_pulse_alerts), with
 * `pullRequests` merged pull requests whose two person_activity rows each still carry their team and repository: what
 * migration 0064 rewrites in batches.
 */
export async function beforeDietDatabase(file: string, pullRequests: number): Promise<void> {
  const client = createClient({ url: `file:${file}` });
  await applyMigrations(
    client,
    migrations.filter((part) => part.tag <= '0062_pulse_alerts'),
    0,
  );
  await client.execute(`INSERT INTO work_items (workspace, id, source, kind, key, title, state, team_id, repository_id, author_id, created_at, merged_at)
    WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ${pullRequests})
    SELECT 'default', 'pr-' || i, 'github', 'pull_request', 'acme/api#' || i, 'Change', 'merged', 'payments', 'acme/api', 'ana', i, i + 1 FROM n`);
  client.close();
}
