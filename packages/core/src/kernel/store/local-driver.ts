import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';

// The local driver behind the libSQL client (`libsql`), used directly where the client cannot: it has no prepared
// statements. The read pool's threads import it; the store reads its data version with it.

/** The file of the local driver of the libSQL client this package resolves (`libsql`). */
const libsqlPath = () => createRequire(import.meta.resolve('@libsql/client')).resolve('libsql');

/** The local driver of the libSQL client this package resolves, as a URL to import. */
export const libsqlDriver = () => pathToFileURL(libsqlPath()).href;

/** What {@link dataVersionOf} uses of the local driver: a connection and a statement in raw mode. */
interface LocalDatabase {
  prepare(sql: string): { raw(on: boolean): { all(): unknown[][] } };
  close(): void;
}

/**
 * SQLite's `data_version` of a local file, read on a connection of its own (it changes when another connection
 * commits, and the store's own connections write), its statement prepared once: it is asked before every query
 * answered from its last result, and preparing it cost as much as running it.
 */
export function dataVersionOf(path: string, timeout: number): { read(): string; close(): void } {
  const Database: new (path: string, options: { timeout: number }) => LocalDatabase = createRequire(import.meta.url)(libsqlPath());
  const db = new Database(path, { timeout });
  const statement = db.prepare('PRAGMA data_version').raw(true);
  return { read: () => String(statement.all()[0]?.[0]), close: () => db.close() };
}

/** The file of a `file:` URL (`file:a.db`, `file:/abs/a.db`, `file:///abs/a.db`), without its query. */
export const filePathOf = (url: string) =>
  url
    .slice('file:'.length)
    .replace(/^\/\/(?=\/)/, '')
    .split('?')[0]!;
