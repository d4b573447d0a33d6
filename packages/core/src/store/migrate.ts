import type { Client } from '@libsql/client';
import { migrations } from './migrations.generated.js';

/**
 * Applies the drizzle-kit migrations that this database has not seen, inside one write
 * transaction, so two processes opening the same new file at once cannot both apply them.
 */
export async function applyMigrations(client: Client, now: number): Promise<string[]> {
  await client.execute('CREATE TABLE IF NOT EXISTS __teamstate_migrations (tag TEXT PRIMARY KEY, applied_at INTEGER NOT NULL)');
  const applied = new Set((await client.execute('SELECT tag FROM __teamstate_migrations')).rows.map((r) => String(r.tag)));
  if (migrations.every((migration) => applied.has(migration.tag))) return [];
  const tx = await client.transaction('write');
  try {
    const seen = new Set((await tx.execute('SELECT tag FROM __teamstate_migrations')).rows.map((r) => String(r.tag)));
    const done: string[] = [];
    for (const migration of migrations) {
      if (seen.has(migration.tag)) continue;
      for (const statement of migration.statements) await tx.execute(statement);
      await tx.execute({ sql: 'INSERT INTO __teamstate_migrations (tag, applied_at) VALUES (?, ?)', args: [migration.tag, now] });
      done.push(migration.tag);
    }
    await tx.commit();
    return done;
  } finally {
    tx.close();
  }
}
