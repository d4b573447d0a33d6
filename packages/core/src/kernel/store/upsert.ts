import type { InValue, Transaction } from '@libsql/client';

/** A table as the bulk writer sees it: every column (workspace first) and the primary key. */
export interface TableSpec {
  name: string;
  columns: readonly string[];
  key: readonly string[];
}

// SQLite (libSQL 3.45) allows 32,766 host parameters per statement; stay well below.
const MAX_PARAMS = 30_000;
const MAX_ROWS_PER_STATEMENT = 500;

const sqlCache = new Map<string, string>();

function upsertSql(table: TableSpec, rowCount: number): string {
  const cacheKey = `${table.name}:${rowCount}`;
  const cached = sqlCache.get(cacheKey);
  if (cached) return cached;
  const placeholders = `(${table.columns.map(() => '?').join(',')})`;
  const values = Array.from({ length: rowCount }, () => placeholders).join(',');
  const rest = table.columns.filter((column) => !table.key.includes(column));
  // The WHERE clause skips identical rows, so re-writing unchanged data changes nothing.
  const conflict =
    rest.length === 0
      ? 'DO NOTHING'
      : `DO UPDATE SET ${rest.map((c) => `${c} = excluded.${c}`).join(', ')} WHERE ${rest
          .map((c) => `${table.name}.${c} IS NOT excluded.${c}`)
          .join(' OR ')}`;
  const sql = `INSERT INTO ${table.name} (${table.columns.join(',')}) VALUES ${values} ON CONFLICT (${table.key.join(',')}) ${conflict}`;
  sqlCache.set(cacheKey, sql);
  return sql;
}

/** Rows per multi-row statement for a table with this many columns. */
export function rowsPerStatement(columnCount: number): number {
  return Math.max(1, Math.min(MAX_ROWS_PER_STATEMENT, Math.floor(MAX_PARAMS / columnCount)));
}

/**
 * Inserts or updates rows (each a full row in `table.columns` order) with multi-row statements.
 * Returns how many rows were inserted or actually changed.
 */
export async function upsertRows(tx: Transaction, table: TableSpec, rows: readonly InValue[][]): Promise<number> {
  const size = rowsPerStatement(table.columns.length);
  let changes = 0;
  for (let start = 0; start < rows.length; start += size) {
    const chunk = rows.slice(start, start + size);
    const result = await tx.execute({ sql: upsertSql(table, chunk.length), args: chunk.flat() });
    changes += result.rowsAffected;
  }
  return changes;
}

/** Inserts rows (each a full row in `table.columns` order) with multi-row statements; a conflict fails the statement. */
export async function insertRows(tx: Transaction, table: Pick<TableSpec, 'name' | 'columns'>, rows: readonly InValue[][]): Promise<void> {
  const size = rowsPerStatement(table.columns.length);
  const placeholders = `(${table.columns.map(() => '?').join(', ')})`;
  for (let start = 0; start < rows.length; start += size) {
    const chunk = rows.slice(start, start + size);
    await tx.execute({
      sql: `INSERT INTO ${table.name} (${table.columns.join(', ')}) VALUES ${chunk.map(() => placeholders).join(', ')}`,
      args: chunk.flat(),
    });
  }
}

/** Inserts one row (in `table.columns` order) unless its key is taken; whether it did. */
export async function insertIgnoring(
  tx: Transaction,
  table: Pick<TableSpec, 'name' | 'columns'>,
  row: readonly InValue[],
): Promise<boolean> {
  const inserted = await tx.execute({
    sql: `INSERT INTO ${table.name} (${table.columns.join(', ')}) VALUES (${table.columns.map(() => '?').join(', ')}) ON CONFLICT DO NOTHING`,
    args: [...row],
  });
  return inserted.rowsAffected === 1;
}

/**
 * Makes the child rows of the given parents exactly `rows`: deletes the parents' rows whose key is
 * not among `rows`, then upserts `rows`. `parentColumn` links a child to its parent id; only parents
 * in `stored` (those that existed before this write) can have rows to delete.
 * Returns how many rows were deleted, inserted or changed.
 */
export async function replaceChildRows(
  tx: Transaction,
  table: TableSpec,
  parentColumn: string,
  workspace: string,
  parents: readonly string[],
  stored: ReadonlySet<string>,
  rows: readonly InValue[][],
): Promise<number> {
  if (parents.length === 0) return 0;
  const keyIndexes = table.key.filter((c) => c !== 'workspace').map((c) => table.columns.indexOf(c));
  const parentIndex = table.columns.indexOf(parentColumn);
  const byParent = new Map<string, InValue[][]>();
  for (const row of rows) {
    const parent = String(row[parentIndex]);
    const list = byParent.get(parent);
    if (list) list.push(row);
    else byParent.set(parent, [row]);
  }
  let changes = 0;
  let chunkParents: string[] = [];
  let chunkRows: InValue[][] = [];
  const flush = async () => {
    const deletable = new Set(chunkParents.filter((parent) => stored.has(parent)));
    if (deletable.size > 0) {
      const keyColumns = keyIndexes.map((i) => table.columns[i]!);
      const kept = chunkRows.filter((row) => deletable.has(String(row[parentIndex])));
      // `key IN (VALUES …)`: SQLite looks each row's key up in an index it builds of the list once, where a correlated
      // NOT EXISTS over the list compared every row with every kept key. coalesce(…, 0): a key with a NULL matches
      // nothing (IN answers NULL there), so its row goes, as a key the list lacks.
      const keep =
        kept.length === 0
          ? `SELECT ${keyColumns.map(() => 'NULL').join(', ')} WHERE 0`
          : `VALUES ${kept.map(() => `(${keyColumns.map(() => '?').join(',')})`).join(',')}`;
      const sql = `DELETE FROM ${table.name} WHERE workspace = ? AND ${parentColumn} IN (${[...deletable].map(() => '?').join(',')})
        AND NOT coalesce((${keyColumns.join(', ')}) IN (${keep}), 0)`;
      const args = [workspace, ...deletable, ...kept.flatMap((row) => keyIndexes.map((i) => row[i]!))];
      changes += (await tx.execute({ sql, args })).rowsAffected;
    }
    changes += await upsertRows(tx, table, chunkRows);
    chunkParents = [];
    chunkRows = [];
  };
  let params = 0;
  for (const parent of parents) {
    const children = byParent.get(parent) ?? [];
    const cost = 1 + children.length * keyIndexes.length;
    if (params + cost > MAX_PARAMS || chunkParents.length >= MAX_ROWS_PER_STATEMENT) {
      await flush();
      params = 0;
    }
    chunkParents.push(parent);
    chunkRows.push(...children);
    params += cost;
  }
  await flush();
  return changes;
}
