import { UpstreamError } from '@teamstate/core';
import { READ_POLICY, type RetrySleep, sendWithRetries, WRITE_POLICY } from './http-retry.js';
import { unreachableHost } from './unreachable-host.js';
import { type RequestErrorWording, redactedRequest, UpstreamRequestError } from './upstream-request-error.js';

/** A failed request of a plain JSON client ({@link sendJson}), with how long the upstream asked to wait. */
export class JsonRequestError extends UpstreamRequestError {
  /** `Retry-After` in milliseconds, for the retry loop. */
  retryAfterMs?: number;
}

/** How one connector's plain JSON client sends its requests (CircleCI, Opsgenie, Statuspage). */
export interface JsonClient {
  wording: RequestErrorWording;
  /** The connector's own error class, so that callers can tell its failures apart. */
  errorClass: new (
    ...args: ConstructorParameters<typeof UpstreamRequestError>
  ) => JsonRequestError;
  /** Auth and content headers, sent with every request. */
  headers: Readonly<Record<string, string>>;
  /** The credentials: masked wherever the upstream's text echoes them. */
  secrets: readonly (string | undefined)[];
  sleep: RetrySleep;
  /** The statuses that mean "rate limited" (default 429; Statuspage also answers 420). */
  rateLimitStatuses?: readonly number[];
  /** Called before each attempt is sent (a client counting its requests). */
  onAttempt?: () => void;
}

/**
 * Sends one JSON request and returns the parsed answer. A GET waits out rate limits (Retry-After or back-off) and
 * retries 5xx answers and lost answers; any other method is never sent again after a 5xx or a lost answer, which fail
 * it as `outcomeUnknown` (it may have landed: the caller re-reads instead of resending); only a rate limit, which the
 * upstream refused without acting, is waited out. A host that cannot be reached fails at once.
 * Errors read `<Product> <METHOD> <path> failed with <status>: <upstream's text> (<what to do>)`, secrets masked.
 */
export async function sendJson<T>(client: JsonClient, method: string, url: string, body?: unknown): Promise<T> {
  const redacted = redactedRequest(method, url);
  const limited = (status: number | undefined) => status !== undefined && (client.rateLimitStatuses ?? [429]).includes(status);
  const write = method !== 'GET';
  const attempt = async (): Promise<T> => {
    let response: Response;
    client.onAttempt?.();
    try {
      response = await fetch(url, {
        method,
        headers: { ...client.headers },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
    } catch (cause) {
      const unreachable = unreachableHost(cause, url);
      throw new client.errorClass(client.wording, redacted, undefined, unreachable?.detail ?? 'no answer', {
        isRetryable: unreachable === undefined,
        // Sent but unanswered: a write may have landed (a host that cannot be reached never got it).
        outcomeUnknown: write && unreachable === undefined,
        cause,
        secrets: client.secrets,
      });
    }
    if (response.ok) return (await response.json()) as T;
    const error = new client.errorClass(
      client.wording,
      redacted,
      response.status,
      (await response.text()).slice(0, 300) || response.statusText,
      {
        isRetryable: limited(response.status) || response.status >= 500,
        outcomeUnknown: write && response.status >= 500,
        secrets: client.secrets,
      },
    );
    const retryAfter = Number(response.headers.get('retry-after'));
    error.retryAfterMs = Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter * 1000 : undefined;
    throw error;
  };
  return sendWithRetries(attempt, {
    policy: write ? WRITE_POLICY : READ_POLICY,
    classify: (error) =>
      UpstreamError.isInstance(error)
        ? {
            rateLimited: limited(error.statusCode),
            // No answer is worth another try, unless the host cannot be reached at all (isRetryable false).
            transient: (error.statusCode === undefined && error.isRetryable) || (error.statusCode ?? 0) >= 500,
            retryAfterMs: error instanceof JsonRequestError ? error.retryAfterMs : undefined,
          }
        : undefined,
    sleep: client.sleep,
    describe: (failure, retry) =>
      `${client.wording.product} ${method} ${redacted.path}: ${failure.rateLimited ? 'rate limited' : 'failed'}, retry ${retry}`,
  });
}
