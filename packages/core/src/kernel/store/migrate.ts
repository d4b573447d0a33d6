import type { Client } from '@libsql/client';
import { TeamStateError } from '../errors.js';
import { BACKFILLS_TABLE, type BackfillProgress, backfillProgress, deferredCount, registerBackfill } from './backfills.js';
import { columns, text } from './row-decoder.js';

/**
 * One owner's part of one migration of the journal (packages/core/drizzle/meta/_journal.json): the statements of the
 * entry `tag` on the tables of `owner`, from its `migrations/NNNN_tag.sql`. A database records `tag` once every part of
 * it has run.
 */
export interface MigrationPart {
  /** The journal entry, `0009_reports`. */
  readonly tag: string;
  /** The folder of core that owns the tables: `records`, `services/<name>` or `features/<name>`. */
  readonly owner: string;
  /** Its SQL statements, in the order they run. */
  readonly statements: readonly string[];
}

/**
 * What the store is opened or migrated with: every migration of the schema, in the order they run (core composes them
 * from the migrations folders of records, its services and its features).
 */
export interface StoreMigrations {
  migrations: readonly MigrationPart[];
}

/** The migrations of one tag, every owner's part in the order they run. */
interface Migration {
  tag: string;
  parts: MigrationPart[];
}

/**
 * Groups `migrations` (in the order they run) by tag. The parts of one tag must be next to each other: the tag is
 * recorded once, after its last part, inside the same transaction.
 */
function byTag(migrations: readonly MigrationPart[]): Migration[] {
  const grouped: Migration[] = [];
  const tags = new Set<string>();
  for (const part of migrations) {
    const last = grouped.at(-1);
    if (last?.tag === part.tag) last.parts.push(part);
    else if (tags.has(part.tag))
      throw new TeamStateError('invalid_config', `migration ${part.tag}: the part of ${part.owner} comes apart from its other parts`);
    else {
      tags.add(part.tag);
      grouped.push({ tag: part.tag, parts: [part] });
    }
  }
  return grouped;
}

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
  /** The progress of the applied migrations' batched statements (large tables rewritten a batch at a time). */
  backfills: BackfillProgress[];
}

const nameRows = columns({ name: text });
const tagRows = columns({ tag: text });

/** Reads a database's migration status against `migrations` (in the order they run) without writing anything. */
export async function migrationStatus(client: Client, migrations: readonly MigrationPart[]): Promise<MigrationStatus> {
  const tags = byTag(migrations).map((migration) => migration.tag);
  const tables = nameRows
    .all(
      (
        await client.execute(
          "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' AND name NOT LIKE 'libsql\\_%' ESCAPE '\\' AND name NOT LIKE '\\_litestream%' ESCAPE '\\' ORDER BY name",
        )
      ).rows,
    )
    .map((row) => row.name);
  const known = new Set(tags);
  const applied = tables.includes('__teamstate_migrations')
    ? tagRows.all((await client.execute('SELECT tag FROM __teamstate_migrations ORDER BY applied_at, tag')).rows).map((row) => row.tag)
    : [];
  const done = new Set(applied);
  const others = tables.filter((name) => name !== '__teamstate_migrations' && name !== '__teamstate_backfills');
  return {
    applied,
    pending: tags.filter((tag) => !done.has(tag)),
    unknown: applied.filter((tag) => !known.has(tag)),
    empty: others.length === 0 && applied.length === 0,
    foreignTables: applied.length === 0 ? others : [],
    backfills: await backfillProgress((sql) => client.execute(sql)),
  };
}

/**
 * Applies the migrations (in the order they run) that this database has not seen, inside one write transaction, so two
 * processes opening the same new file at once cannot both apply them. A statement marked to run in batches or after
 * open (backfills.ts: a large rewrite, an index build) is only registered here, its rows counted: runBackfills() runs it
 * afterwards, a batch (or the whole build) per write transaction.
 */
export async function applyMigrations(client: Client, migrations: readonly MigrationPart[], now: number): Promise<string[]> {
  const grouped = byTag(migrations);
  await client.execute('CREATE TABLE IF NOT EXISTS __teamstate_migrations (tag TEXT PRIMARY KEY, applied_at INTEGER NOT NULL)');
  await client.execute(BACKFILLS_TABLE);
  const applied = new Set(tagRows.all((await client.execute('SELECT tag FROM __teamstate_migrations')).rows).map((r) => r.tag));
  if (grouped.every((migration) => applied.has(migration.tag))) return [];
  const tx = await client.transaction('write');
  try {
    const seen = new Set(tagRows.all((await tx.execute('SELECT tag FROM __teamstate_migrations')).rows).map((r) => r.tag));
    const done: string[] = [];
    for (const migration of grouped) {
      if (seen.has(migration.tag)) continue;
      let batched = 0;
      for (const part of migration.parts)
        for (const statement of part.statements) {
          if (deferredCount(statement) === undefined) await tx.execute(statement);
          else await registerBackfill(tx, migration.tag, batched++, statement, now);
        }
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
 * `migrations` are this version's, in the order they run.
 * @returns the migrations applied.
 */
export async function prepareSharedSchema(
  client: Client,
  migrations: readonly MigrationPart[],
  now: number,
  shown: string,
  explicit: boolean,
): Promise<string[]> {
  const status = await migrationStatus(client, migrations);
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
  if (status.empty || explicit) return applyMigrations(client, migrations, now);
  throw new TeamStateError(
    'schema_outdated',
    `database ${shown} has an older teamstate schema (${status.pending.length} pending migration${status.pending.length === 1 ? '' : 's'}: ${status.pending.join(', ')}), and a shared database is never migrated implicitly: back it up, then run \`teamstate migrate\` once against it (SDK: migrateDatabase()), and start this again`,
  );
}
