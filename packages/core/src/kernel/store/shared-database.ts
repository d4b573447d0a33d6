import { TeamStateError } from '../errors.js';
import { redactSecrets } from '../text/redact-secrets.js';

/** How long the reachability check of a primary may take before it counts as unreachable. */
const PROBE_TIMEOUT_MS = 10_000;

/** Where a store's data lives: a local file, memory, a libSQL server, or an embedded replica of one. */
export type StoreKind = 'file' | 'memory' | 'remote' | 'replica';

/** The HTTP URL of a libSQL server given as `libsql://`, `ws(s)://` or `http(s)://` (Hrana over HTTP answers on each). */
function httpUrlOf(url: string): string {
  return url
    .replace(/^libsql:\/\//i, 'https://')
    .replace(/^wss:\/\//i, 'https://')
    .replace(/^ws:\/\//i, 'http://')
    .replace(/\/+$/, '');
}

/**
 * Checks that `url` is a libSQL server that accepts `authToken`, with one `SELECT 1` over Hrana (HTTP). An embedded
 * replica's own start-up cannot tell a wrong URL from a refused token (both end in a handshake timeout, and a URL that
 * answers but is not a libSQL server can keep it waiting), so this asks first and says which one it is.
 * @param what how the URL is named in the message (`database.syncUrl`).
 */
export async function checkPrimary(url: string, authToken: string | undefined, what: string): Promise<void> {
  const shown = redactSecrets(url, [authToken]);
  let response: Response;
  try {
    response = await fetch(`${httpUrlOf(url)}/v2/pipeline`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(authToken ? { authorization: `Bearer ${authToken}` } : {}) },
      body: JSON.stringify({ requests: [{ type: 'execute', stmt: { sql: 'SELECT 1' } }, { type: 'close' }] }),
      signal: AbortSignal.timeout(PROBE_TIMEOUT_MS),
    });
    await response.arrayBuffer();
  } catch (error) {
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    const reason =
      (error as Error).name === 'TimeoutError'
        ? `no answer within ${PROBE_TIMEOUT_MS / 1000} s`
        : (cause?.code ?? cause?.message ?? (error as Error).message);
    throw new TeamStateError(
      'store_unavailable',
      `${what}: the libSQL server at ${shown} is unreachable (${redactSecrets(String(reason), [authToken])}); check the URL and that the server is running, then try again`,
      { cause: error },
    );
  }
  if (response.status === 401 || response.status === 403) {
    throw new TeamStateError(
      'store_unauthorized',
      `${what}: the libSQL server at ${shown} refused the auth token (HTTP ${response.status}); set a valid token in database.authToken or TEAMSTATE_DB_AUTH_TOKEN`,
    );
  }
  if (!response.ok) {
    throw new TeamStateError(
      'store_unavailable',
      `${what}: ${shown} answered HTTP ${response.status}, so it is not a libSQL server (sqld or Turso) at that address; check the URL`,
    );
  }
}

/**
 * A driver error that means the libSQL server could not be reached (rather than a statement that failed), turned into
 * one clear error; `undefined` for any other error. The embedded replica's errors carry gRPC details and the remote
 * client's a fetch failure: neither says "the primary is down" on its own.
 */
export function unreachableError(
  error: unknown,
  server: string,
  secrets: readonly (string | undefined)[],
  replica: boolean,
): TeamStateError | undefined {
  if (TeamStateError.isInstance(error)) return undefined;
  const message = String((error as Error | undefined)?.message ?? error);
  const cause = String((error as { cause?: { message?: string } } | undefined)?.cause?.message ?? '');
  const text = `${message} ${cause}`;
  const down =
    /status: (Unavailable|DeadlineExceeded|Unknown)\b/.test(text) ||
    /PrimaryHandshakeTimeout|Replication\(|error trying to connect|fetch failed|ECONNREFUSED|ECONNRESET|EHOSTUNREACH|socket hang up|HTTP status 50[234]/.test(
      text,
    );
  if (!down) return undefined;
  const detail = /message: "([^"]*)"/.exec(text)?.[1] ?? message.split('\n')[0]!;
  const meanwhile = replica
    ? 'nothing was written; reads from the embedded replica still work, writes resume once it is back'
    : 'nothing was written; try again once it is back';
  return new TeamStateError(
    'store_unavailable',
    `the libSQL server ${server} is unreachable (${redactSecrets(detail, secrets)}): ${meanwhile}`,
    {
      cause: error,
    },
  );
}

/** A libSQL server's refusal of the auth token (HTTP 401 or 403 from the remote client), as one clear error. */
export function unauthorizedError(error: unknown, server: string): TeamStateError | undefined {
  if (TeamStateError.isInstance(error) || !/HTTP status 40[13]\b/.test(String((error as Error | undefined)?.message))) return undefined;
  return new TeamStateError(
    'store_unauthorized',
    `the libSQL server at ${server} refused the auth token; set a valid token in TEAMSTATE_DB_AUTH_TOKEN (or database.authToken)`,
    { cause: error },
  );
}

/**
 * A statement error from the primary reached through an embedded replica (`WriteDelegation(status: …, message: "…")`)
 * with its gRPC wrapping removed, so it reads like the same error on a local file.
 */
export function cleanDelegatedError(error: unknown): unknown {
  if (TeamStateError.isInstance(error) || !(error instanceof Error)) return error;
  const match = /^\s*WriteDelegation\(status: \w+, message: "([^"]*)"/.exec(error.message);
  if (!match) return error;
  return new TeamStateError('store_error', match[1]!, { cause: error });
}
