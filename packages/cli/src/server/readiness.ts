import { migrationTags, type TeamState } from '@teamstate/core';

/** What `GET /readyz` answers: ready, or why not. */
export type Readiness = { ready: true } | { ready: false; reason: string };

/**
 * Whether this process can serve: the database answers a query and every migration this version carries has been
 * applied to it (a shared database migrated by an older teamstate is not ready until `teamstate migrate` ran).
 * Errors are summarised without the database URL or its token.
 */
export async function readiness(ts: TeamState): Promise<Readiness> {
  let applied: Set<string>;
  try {
    const result = await ts.store.execute('SELECT tag FROM __teamstate_migrations');
    applied = new Set(result.rows.map((row) => String(row.tag)));
  } catch {
    return { ready: false, reason: 'the database does not answer' };
  }
  const pending = migrationTags().filter((tag) => !applied.has(tag));
  if (pending.length > 0)
    return { ready: false, reason: `${pending.length} migration(s) pending (${pending.slice(0, 3).join(', ')}); run teamstate migrate` };
  return { ready: true };
}
