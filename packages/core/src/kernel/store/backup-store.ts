import { randomUUID } from 'node:crypto';
import { chmodSync, existsSync, linkSync, renameSync, rmSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { TeamStateError } from '../errors.js';
import type { Store } from './open-store.js';

/** Options of {@link backupStore}. */
export interface BackupOptions {
  /** Replace a file that is already there (default: refuse). */
  overwrite?: boolean;
}

/** What {@link backupStore} wrote. */
export interface BackupResult {
  /** The absolute path of the copy. */
  file: string;
  /** Its size in bytes. */
  bytes: number;
}

/**
 * Writes a consistent copy of a local database to `file` with SQLite's `VACUUM INTO`: one read transaction, so
 * writes that other processes make meanwhile are either wholly in the copy or not at all, and nobody is blocked. The
 * copy is a complete database (open it with `database: 'file:<copy>'` to restore). A libSQL server is backed up on the
 * server (docs/running-for-a-company.md), so a remote store or an embedded replica is refused.
 * @example await backupStore(ts.store, 'backups/teamstate-2026-03-10.db')
 */
export async function backupStore(store: Store, file: string, options: BackupOptions = {}): Promise<BackupResult> {
  if (store.kind !== 'file' && store.kind !== 'memory') {
    throw new TeamStateError(
      'invalid_argument',
      `backup: ${store.url} is ${store.kind === 'replica' ? 'an embedded replica' : 'a libSQL server'}, whose data lives on the server: back the server up there (sqld snapshots or bottomless, see docs/running-for-a-company.md)`,
    );
  }
  const target = resolve(file);
  if (existsSync(target)) {
    if (statSync(target).isDirectory()) throw new TeamStateError('invalid_argument', `backup: ${target} is a folder; name a file`);
    if (!options.overwrite)
      throw new TeamStateError('invalid_argument', `backup: ${target} already exists; choose another file, or pass --force to replace it`);
  }
  if (!existsSync(dirname(target))) throw new TeamStateError('invalid_argument', `backup: the folder ${dirname(target)} does not exist`);
  // Written beside the target and moved into place once complete: a failed or interrupted backup never leaves half a
  // file under the name, nor destroys the copy it was to replace.
  const partial = join(dirname(target), `.${randomUUID()}.teamstate-backup`);
  try {
    await store.execute('VACUUM INTO ?', [partial]);
    // The copy holds what the database holds (people's data, the ledger): its owner only, like the database.
    chmodSync(partial, 0o600);
    if (options.overwrite) renameSync(partial, target);
    else linkSync(partial, target); // fails if the name was taken meanwhile
  } catch (error) {
    const message = (error as NodeJS.ErrnoException).code === 'EEXIST' ? `${target} already exists` : (error as Error).message;
    throw new TeamStateError('store_error', `backup: could not write ${target}: ${message}`, { cause: error });
  } finally {
    rmSync(partial, { force: true });
  }
  return { file: target, bytes: statSync(target).size };
}
