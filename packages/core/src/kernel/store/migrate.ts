import type { Client } from '@libsql/client';
import { TeamStateError } from '../errors.js';
import { migrations } from './migrations.generated.js';
import { columns, text } from './row-decoder.js';

/** Where a database stands against the migrations this version of teamstate carries. */
export interface MigrationStatus {
  /** Migrations already applied to it, in order. */
  applied: string[];
  /** Migrations this version carries that it has not had yet, in the order they would run. */
  pending: string[];
  /** Migrations it has had that this version does not know: it was migrated by a newer teamstate. */
  unknown: string[];
  /** True when it holds no tables at all (a new database): setting it up cannot touch anyone's data. */
  empty: boolean;
  /** Tables it holds although it has no teamstate migrations: it belongs to something else. */
  foreignTables: string[];
}

const nameRows = columns({ name: text });
const tagRows = columns({ tag: text });

/** Reads a database's migration status without writing anything. */
export async function migrationStatus(client: Client): Promise<MigrationStatus> {
  const tables = nameRows
    .all(
      (
        await client.execute(
          "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' AND name NOT LIKE 'libsql\\_%' ESCAPE '\\' AND name NOT LIKE '\\_litestream%' ESCAPE '\\' ORDER BY name",
        )
      ).rows,
    )
    .map((row) => row.name);
  const known = new Set(migrations.map((migration) => migration.tag));
  const applied = tables.includes('__teamstate_migrations')
    ? tagRows.all((await client.execute('SELECT tag FROM __teamstate_migrations ORDER BY applied_at, tag')).rows).map((row) => row.tag)
    : [];
  const done = new Set(applied);
  const others = tables.filter((name) => name !== '__teamstate_migrations');
  return {
    applied,
    pending: migrations.map((migration) => migration.tag).filter((tag) => !done.has(tag)),
    unknown: applied.filter((tag) => !known.has(tag)),
    empty: others.length === 0 && applied.length === 0,
    foreignTables: applied.length === 0 ? others : [],
  };
}

/**
 * Applies the drizzle-kit migrations that this database has not seen, inside one write
 * transaction, so two processes opening the same new file at once cannot both apply them.
 */
export async function applyMigrations(client: Client, now: number): Promise<string[]> {
  await client.execute('CREATE TABLE IF NOT EXISTS __teamstate_migrations (tag TEXT PRIMARY KEY, applied_at INTEGER NOT NULL)');
  const applied = new Set(tagRows.all((await client.execute('SELECT tag FROM __teamstate_migrations')).rows).map((r) => r.tag));
  if (migrations.every((migration) => applied.has(migration.tag))) return [];
  const tx = await client.transaction('write');
  try {
    const seen = new Set(tagRows.all((await tx.execute('SELECT tag FROM __teamstate_migrations')).rows).map((r) => r.tag));
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

/**
 * The schema step of opening a shared database (a libSQL server, directly or through an embedded replica): an empty
 * database is set up, an up-to-date one is used as it is, and anything else is refused with what to do. A shared,
 * non-empty database is migrated only when asked (`explicit`, what `teamstate migrate` passes): a laptop with a newer
 * teamstate must never change the schema under everyone else's feet.
 * @returns the migrations applied.
 */
export async function prepareSharedSchema(client: Client, now: number, shown: string, explicit: boolean): Promise<string[]> {
  const status = await migrationStatus(client);
  if (status.unknown.length > 0) {
    throw new TeamStateError(
      'schema_mismatch',
      `database ${shown} was migrated by a newer teamstate (migrations this version does not know: ${status.unknown.join(', ')}); upgrade teamstate on this machine`,
    );
  }
  if (status.foreignTables.length > 0) {
    throw new TeamStateError(
      'schema_mismatch',
      `database ${shown} is not empty and is not a teamstate database (it holds ${status.foreignTables.slice(0, 5).join(', ')}${status.foreignTables.length > 5 ? ', …' : ''}); point database at an empty libSQL database or an existing teamstate one`,
    );
  }
  if (status.pending.length === 0) return [];
  if (status.empty || explicit) return applyMigrations(client, now);
  throw new TeamStateError(
    'schema_outdated',
    `database ${shown} has an older teamstate schema (${status.pending.length} pending migration${status.pending.length === 1 ? '' : 's'}: ${status.pending.join(', ')}), and a shared database is never migrated implicitly: back it up, then run \`teamstate migrate\` once against it (SDK: migrateDatabase()), and start this again`,
  );
}
