import type { ClientInfo, OAuthContext } from './oauth-context.js';

const METADATA_CACHE_MS = 5 * 60_000;
const METADATA_MAX_BYTES = 64 * 1024;
const METADATA_CACHE_ENTRIES = 500;
export const MAX_URI_LENGTH = 2000;

/**
 * A redirect URI a client may register: https, http on a loopback address (native apps, RFC 8252), or a private-use
 * scheme (`cursor://…`); never `javascript:`, `data:`, `file:` or a fragment. Returns why not, or `undefined`.
 */
export function redirectUriProblem(value: unknown): string | undefined {
  if (typeof value !== 'string' || value.length === 0 || value.length > MAX_URI_LENGTH)
    return `expected an absolute URI of at most ${MAX_URI_LENGTH} characters`;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return `${JSON.stringify(value.slice(0, 100))} is not an absolute URI`;
  }
  if (url.hash) return 'must not have a fragment';
  const scheme = url.protocol.slice(0, -1).toLowerCase();
  if (['javascript', 'data', 'file', 'vbscript', 'blob', 'about', 'ws', 'wss', 'ftp'].includes(scheme))
    return `the ${scheme}: scheme is not allowed`;
  if (scheme === 'http' && !['localhost', '127.0.0.1', '[::1]'].includes(url.hostname.toLowerCase()))
    return 'http is allowed only on localhost, 127.0.0.1 or [::1]; use https';
  return undefined;
}

function isMetadataUrl(clientId: string): boolean {
  try {
    const url = new URL(clientId);
    return url.protocol === 'https:' && url.pathname !== '/' && url.hash === '' && url.username === '' && url.password === '';
  } catch {
    return false;
  }
}

async function readLimited(response: Response, limit: number): Promise<string | undefined> {
  const reader = response.body?.getReader();
  if (!reader) return '';
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel();
      return undefined;
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** The client a client ID metadata document describes, or why it cannot be used. */
function clientOfDocument(clientId: string, document: Record<string, unknown>): ClientInfo | string {
  if (document.client_id !== clientId) return 'client_id: the metadata document names another client_id than its own URL';
  const uris = Array.isArray(document.redirect_uris) ? document.redirect_uris : [];
  const problem = uris.length === 0 ? 'none given' : uris.map(redirectUriProblem).find((p) => p !== undefined);
  if (problem) return `client_id: the metadata document's redirect_uris are not usable (${problem})`;
  return {
    clientId,
    redirectUris: uris as string[],
    ...(typeof document.client_name === 'string' ? { name: document.client_name.slice(0, 200) } : {}),
  };
}

/** Fetches the client ID metadata document at `clientId`: the client it describes, or why it cannot be used. */
async function fetchMetadataClient(fetchFn: typeof fetch, clientId: string): Promise<ClientInfo | string> {
  try {
    const response = await fetchFn(clientId, {
      headers: { accept: 'application/json' },
      redirect: 'error',
      signal: AbortSignal.timeout(5_000),
    });
    const text = response.ok ? await readLimited(response, METADATA_MAX_BYTES) : undefined;
    const document = text === undefined ? undefined : (JSON.parse(text) as Record<string, unknown>);
    if (!response.ok) return `client_id: the client ID metadata document answered ${response.status}`;
    if (!document || typeof document !== 'object')
      return `client_id: the client ID metadata document is larger than ${METADATA_MAX_BYTES} bytes or not JSON`;
    return clientOfDocument(clientId, document);
  } catch (error) {
    return `client_id: the client ID metadata document could not be read (${error instanceof Error ? error.message.slice(0, 200) : 'error'})`;
  }
}

/** A client document fetched from its https `client_id` (cached 5 minutes), or why it cannot be used. */
async function metadataClient(ctx: OAuthContext, clientId: string): Promise<ClientInfo | string> {
  const now = ctx.clock().getTime();
  const cached = ctx.metadataCache.get(clientId);
  if (cached && cached.until > now) return cached.client;
  const client = await fetchMetadataClient(ctx.fetch, clientId);
  if (ctx.metadataCache.size >= METADATA_CACHE_ENTRIES) ctx.metadataCache.delete(ctx.metadataCache.keys().next().value!);
  ctx.metadataCache.set(clientId, { client, until: now + METADATA_CACHE_MS });
  return client;
}

/** The client `clientId` names (registered, or by its metadata document), or why there is none to use. */
export async function resolveClient(ctx: OAuthContext, clientId: unknown): Promise<ClientInfo | string> {
  if (typeof clientId !== 'string' || clientId.length === 0) return 'client_id: required';
  if (clientId.length > MAX_URI_LENGTH) return 'client_id: too long';
  if (isMetadataUrl(clientId)) return metadataClient(ctx, clientId);
  const registered = await ctx.ts.oauth.client(clientId);
  if (!registered)
    return `client_id: unknown client ${JSON.stringify(clientId.slice(0, 80))}; register at ${ctx.issuer}/oauth/register or use a client ID metadata document (an https URL)`;
  return { clientId: registered.clientId, redirectUris: registered.redirectUris, ...(registered.name ? { name: registered.name } : {}) };
}
