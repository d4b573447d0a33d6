import { resolve } from 'node:path';
import { TeamStateError } from '../errors.js';
import { filePathOf } from './local-driver.js';

/** The default embedded database, relative to the working directory. */
export const DEFAULT_DATABASE = 'file:.teamstate/teamstate.db';

/** Turns the user's `database` setting into a libSQL URL. */
export function resolveDatabaseUrl(database: string | undefined): { url: string; localPath?: string } {
  const value = (database ?? DEFAULT_DATABASE).trim();
  if (value === '')
    throw new TeamStateError('invalid_config', 'database: must not be empty (use a file path, ":memory:" or a libsql:// URL)');
  if (value === ':memory:' || value === 'file::memory:') return { url: ':memory:' };
  if (/^(libsql|https?|wss?):\/\//i.test(value)) return { url: value };
  if (/^file:/i.test(value)) {
    return { url: value, localPath: resolve(filePathOf(value)) };
  }
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(value)) {
    throw new TeamStateError(
      'invalid_config',
      `database: unsupported URL scheme in "${value.split('://')[0]}://…" (use a file path, file:, :memory:, libsql://, http(s):// or ws(s)://)`,
    );
  }
  return { url: `file:${value}`, localPath: resolve(value) };
}

/** Strips credentials and query strings (auth tokens) from a database URL for messages. */
export function redactUrl(url: string): string {
  return url.replace(/\/\/[^@/]*@/, '//***@').replace(/\?.*$/, '');
}
