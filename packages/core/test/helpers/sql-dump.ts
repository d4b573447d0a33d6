import type { Client, InValue } from '@libsql/client';

// A `.dump`-like SQL text of a whole database (the schema, `__teamstate_migrations` and every row), and its loading
// into an empty database. Its tables and their rows come first and their indexes and triggers after, so loading it
// fires no trigger; a full-text index's own tables get their rows as they were (emptied of what creating the index
// wrote), so the copy searches like the original.

/** One entry of sqlite_master: what the schema comparison of two databases reads. */
export interface SchemaEntry {
  type: string;
  name: string;
  tbl_name: string;
  sql: string | null;
}

/** Every table, index, trigger, view and virtual table of a database, in a stable order. */
export async function schemaOf(client: Client): Promise<SchemaEntry[]> {
  const { rows } = await client.execute('SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY 1, 2');
  return rows.map((row) => ({
    type: String(row.type),
    name: String(row.name),
    tbl_name: String(row.tbl_name),
    sql: row.sql === null ? null : String(row.sql),
  }));
}

interface TableInfo {
  name: string;
  /** `table`, `virtual` or `shadow` (a virtual table's own storage), as `PRAGMA table_list` says. */
  kind: string;
  withoutRowid: boolean;
}

const quoteName = (name: string) => `"${name.replaceAll('"', '""')}"`;

/** A value as an SQL literal of the same storage class. */
function literal(value: unknown, type: string): string {
  if (value === null || type === 'null') return 'NULL';
  if (type === 'integer') return String(value);
  if (type === 'real') {
    const number = Number(value);
    return Number.isInteger(number) && Math.abs(number) < 1e21 ? `${number}.0` : String(number);
  }
  if (type === 'blob') return `X'${Buffer.from(value as ArrayBuffer).toString('hex')}'`;
  return `'${String(value).replaceAll("'", "''")}'`;
}

async function tablesOf(client: Client): Promise<TableInfo[]> {
  const { rows } = await client.execute("SELECT name, type, wr FROM pragma_table_list WHERE schema = 'main'");
  const kinds = new Map(rows.map((row) => [String(row.name), { kind: String(row.type), withoutRowid: Number(row.wr) === 1 }]));
  // In the order they were created, which is the order their rows can be written back in.
  const { rows: created } = await client.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY rowid");
  return created
    .map((row) => String(row.name))
    .filter((name) => !name.startsWith('sqlite_'))
    .map((name) => ({ name, ...(kinds.get(name) ?? { kind: 'table', withoutRowid: false }) }));
}

/** The columns of a table to write back: its rowid first where it has one that no column of its own names. */
async function columnsOf(client: Client, table: TableInfo): Promise<string[]> {
  const { rows } = await client.execute(`SELECT name, type, pk FROM pragma_table_info(${literal(table.name, 'text')})`);
  const names = rows.map((row) => String(row.name));
  const keys = rows.filter((row) => Number(row.pk) > 0);
  const aliased = keys.length === 1 && String(keys[0]!.type).toUpperCase() === 'INTEGER';
  return table.withoutRowid || aliased ? names : ['rowid', ...names];
}

async function insertsOf(client: Client, table: TableInfo): Promise<string[]> {
  const columns = await columnsOf(client, table);
  const selected = columns.flatMap((column) => [quoteName(column), `typeof(${quoteName(column)})`]).join(', ');
  const { rows } = await client.execute(`SELECT ${selected} FROM ${quoteName(table.name)}`);
  const list = columns.map(quoteName).join(',');
  return rows.map((row) => {
    const values = columns.map((_, i) => literal(row[i * 2] as InValue, String(row[i * 2 + 1])));
    return `INSERT INTO ${quoteName(table.name)}(${list}) VALUES(${values.join(',')});`;
  });
}

/**
 * The database as SQL text: `PRAGMA foreign_keys=OFF`, one transaction creating every table and writing its rows, then
 * the indexes, triggers and views, each statement on its own line(s) ending with `;`. Read with a client whose
 * `intMode` is `bigint`, so large integers are written exactly.
 */
export async function dumpDatabase(client: Client, header: readonly string[] = []): Promise<string> {
  const tables = await tablesOf(client);
  const { rows: schema } = await client.execute('SELECT type, name, sql FROM sqlite_master ORDER BY rowid');
  const sqlOf = new Map(schema.map((row) => [String(row.name), String(row.sql)]));
  const lines = [...header.map((line) => `-- ${line}`), 'PRAGMA foreign_keys=OFF;', 'BEGIN TRANSACTION;'];
  for (const table of tables) if (table.kind !== 'shadow') lines.push(`${sqlOf.get(table.name)};`);
  // Creating a virtual table wrote its first rows into its own tables: the original's replace them.
  for (const table of tables) if (table.kind === 'shadow') lines.push(`DELETE FROM ${quoteName(table.name)};`);
  for (const table of tables) if (table.kind !== 'virtual') lines.push(...(await insertsOf(client, table)));
  if (sqlOf.has('sqlite_sequence')) {
    lines.push(
      'DELETE FROM sqlite_sequence;',
      ...(await insertsOf(client, { name: 'sqlite_sequence', kind: 'table', withoutRowid: true })),
    );
  }
  for (const row of schema)
    if (row.type !== 'table' && row.sql !== null && !String(row.name).startsWith('sqlite_')) lines.push(`${String(row.sql)};`);
  lines.push('COMMIT;');
  return `${lines.join('\n')}\n`;
}

/** Writes a {@link dumpDatabase} text into an empty database. */
export async function loadDump(client: Client, dump: string): Promise<void> {
  await client.executeMultiple(dump);
}

/** Every row of every table (full-text indexes' own tables included), as literals: what a faithful copy must equal. */
export async function contentsOf(client: Client): Promise<Record<string, string[]>> {
  const contents: Record<string, string[]> = {};
  for (const table of await tablesOf(client)) if (table.kind !== 'virtual') contents[table.name] = (await insertsOf(client, table)).sort();
  return contents;
}

/** How many rows each table holds (full-text indexes' own tables left out). */
export async function rowCounts(client: Client): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const table of await tablesOf(client)) {
    if (table.kind !== 'table') continue;
    const { rows } = await client.execute(`SELECT count(*) AS n FROM ${quoteName(table.name)}`);
    counts[table.name] = Number(rows[0]!.n);
  }
  return counts;
}
