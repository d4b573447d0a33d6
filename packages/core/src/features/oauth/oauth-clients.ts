import { randomBytes } from 'node:crypto';
import { TeamStateError } from '../../kernel/errors.js';
import { formatTimestamp } from '../../kernel/model/timestamp.js';
import { columns, integer, nullable, text } from '../../kernel/store/row-decoder.js';
import { OAUTH_LIFETIMES, OAUTH_LIMITS, type OAuthClient } from './oauth-model.js';
import type { OAuthDeps } from './oauth-secrets.js';

const clientRow = columns({ client_id: text, name: nullable(text), redirect_uris: text, created_at: integer });

/**
 * Registers a client (RFC 7591); its redirect URIs are matched exactly. At most `maxUnused` clients nobody has signed
 * in with are kept (default {@link OAUTH_LIMITS}.unusedClients): the oldest of them are forgotten beyond that.
 */
export async function registerClient(
  deps: OAuthDeps,
  input: { redirectUris: readonly string[]; name?: string; maxUnused?: number },
): Promise<OAuthClient> {
  const { workspace } = deps;
  const maxUnused = input.maxUnused ?? OAUTH_LIMITS.unusedClients;
  if (!Number.isSafeInteger(maxUnused) || maxUnused < 1)
    throw new TeamStateError('invalid_argument', `maxUnused: expected a whole number of at least 1, got ${String(maxUnused)}`);
  const clientId = `tsc_${randomBytes(12).toString('hex')}`;
  const now = deps.clock().getTime();
  await deps.store.write(async (tx) => {
    await tx.execute({
      sql: 'INSERT INTO oauth_clients (workspace, client_id, name, redirect_uris, created_at) VALUES (?, ?, ?, ?, ?)',
      args: [workspace, clientId, input.name ?? null, JSON.stringify(input.redirectUris), now],
    });
    // Never-used clients beyond the cap, oldest first; the one just registered is the newest and stays.
    await tx.execute({
      sql: `DELETE FROM oauth_clients WHERE workspace = ? AND rowid IN (
              SELECT rowid FROM oauth_clients WHERE workspace = ?
                AND client_id NOT IN (SELECT client_id FROM oauth_grants WHERE workspace = ?)
              ORDER BY created_at DESC, rowid DESC LIMIT -1 OFFSET ?)`,
      args: [workspace, workspace, workspace, maxUnused],
    });
    // Old secrets are swept as new ones arrive: nothing else has to run for the table to stay small.
    await tx.execute({
      sql: 'DELETE FROM oauth_secrets WHERE workspace = ? AND expires_at < ?',
      args: [workspace, now - OAUTH_LIFETIMES.refresh],
    });
  });
  return {
    clientId,
    ...(input.name ? { name: input.name } : {}),
    redirectUris: [...input.redirectUris],
    createdAt: formatTimestamp(now),
  };
}

/** A registered client, or `undefined`. */
export async function getClient(deps: OAuthDeps, clientId: string): Promise<OAuthClient | undefined> {
  const { rows } = await deps.store.execute(
    'SELECT client_id, name, redirect_uris, created_at FROM oauth_clients WHERE workspace = ? AND client_id = ?',
    [deps.workspace, clientId],
  );
  const row = clientRow.first(rows);
  if (!row) return undefined;
  return {
    clientId: row.client_id,
    ...(row.name ? { name: row.name } : {}),
    redirectUris: JSON.parse(row.redirect_uris) as string[],
    createdAt: formatTimestamp(row.created_at),
  };
}
