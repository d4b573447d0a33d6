/**
 * Failures to reach a host at all that no wait will mend: its name does not resolve, or nothing listens on its port.
 * The connectors' retry loops end a request at once on one (retrying only rate limits, 5xx answers and timeouts), and
 * the error names the host and the cause.
 */

/** The codes Node.js gives these failures, with what each means. */
const CAUSES: Readonly<Record<string, string>> = {
  ENOTFOUND: 'its name does not resolve',
  EAI_AGAIN: 'its name could not be resolved',
  ECONNREFUSED: 'the connection was refused (nothing listens on that port)',
};

/** A host that cannot be reached, and why. */
export interface UnreachableHost {
  /** `gitlab.acme.example`, `127.0.0.1:8080` (never credentials). */
  host: string;
  /** `ENOTFOUND`, `EAI_AGAIN` or `ECONNREFUSED`. */
  code: string;
  /** `no answer from <host>: <what the code means> (<code>)`, for the error's message. */
  detail: string;
}

/** A failure code of {@link CAUSES} in `error` or its causes (`fetch failed` wraps it; a refused dual-stack connect aggregates it). */
function failureOf(error: unknown, depth = 0): { code: string; host?: string } | undefined {
  if (depth > 6 || error === null || typeof error !== 'object') return undefined;
  const found = error as { code?: unknown; hostname?: unknown; address?: unknown; port?: unknown; errors?: unknown; cause?: unknown };
  if (typeof found.code === 'string' && Object.hasOwn(CAUSES, found.code)) {
    const host =
      typeof found.hostname === 'string'
        ? found.hostname
        : typeof found.address === 'string'
          ? `${found.address}${typeof found.port === 'number' ? `:${found.port}` : ''}`
          : undefined;
    return { code: found.code, ...(host ? { host } : {}) };
  }
  if (Array.isArray(found.errors))
    for (const inner of found.errors) {
      const failure = failureOf(inner, depth + 1);
      if (failure) return failure;
    }
  return failureOf(found.cause, depth + 1);
}

/**
 * The unreachable host behind `error` (a failed `fetch`, a client library's network error), or undefined when it is
 * another failure (a timeout, a reset connection: worth retrying). `url`, when known, names the host; otherwise the
 * error's own hostname or address does.
 */
export function unreachableHost(error: unknown, url?: string): UnreachableHost | undefined {
  const failure = failureOf(error);
  if (!failure) return undefined;
  let host = failure.host ?? 'the host';
  if (url !== undefined && URL.canParse(url)) host = new URL(url).host;
  return { host, code: failure.code, detail: `no answer from ${host}: ${CAUSES[failure.code]} (${failure.code})` };
}
