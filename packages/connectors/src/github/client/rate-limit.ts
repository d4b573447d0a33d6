/** What GitHub's `x-ratelimit-*` headers say about one rate-limit resource (`core`, `graphql`, …). */
export interface RateLimitState {
  resource: string;
  remaining: number;
  /** Epoch milliseconds at which the budget refills. */
  resetAt: number;
}

/** Headers as octokit returns them: lower-case names. */
export type ResponseHeaders = Record<string, string | number | undefined>;

const header = (headers: ResponseHeaders, name: string): string | undefined => {
  const value = headers[name];
  return value === undefined ? undefined : String(value);
};

/** Reads the rate-limit state from response headers; `undefined` when they are absent (GHES with limits off). */
export function readRateLimit(headers: ResponseHeaders, fallbackResource: string): RateLimitState | undefined {
  const remaining = Number(header(headers, 'x-ratelimit-remaining'));
  const reset = Number(header(headers, 'x-ratelimit-reset'));
  if (!Number.isFinite(remaining) || !Number.isFinite(reset)) return undefined;
  return { resource: header(headers, 'x-ratelimit-resource') ?? fallbackResource, remaining, resetAt: reset * 1000 };
}

/** The first wait after a secondary rate limit without `retry-after` (GitHub asks for at least a minute). */
export const SECONDARY_BASE_WAIT_MS = 60_000;
/** Margin added to a primary-limit wait, so the request lands after the reset on GitHub's clock too. */
export const RESET_MARGIN_MS = 1_000;

/** A rate-limit response and how long to wait before asking again. */
export interface RateLimitWait {
  kind: 'primary' | 'secondary';
  waitMs: number;
  reason: string;
}

/**
 * Decides whether a failed response is a rate limit and how long to wait:
 * - primary (`x-ratelimit-remaining: 0`): until `x-ratelimit-reset` (plus a second);
 * - secondary: `retry-after` seconds when given, else at least 60 s, doubling with each consecutive hit
 *   (`attempt` counts earlier secondary waits for the same request).
 * Returns `undefined` for anything that is not a rate limit.
 */
export function rateLimitWait(
  response: { status: number; headers: ResponseHeaders; message: string },
  attempt: number,
  now: number,
): RateLimitWait | undefined {
  const { status, headers, message } = response;
  const rateLimitedGraphql = /RATE_LIMITED/.test(message);
  if (status !== 403 && status !== 429 && !rateLimitedGraphql) return undefined;
  const retryAfter = Number(header(headers, 'retry-after'));
  const hasRetryAfter = header(headers, 'retry-after') !== undefined && Number.isFinite(retryAfter);
  const state = readRateLimit(headers, 'core');
  if (!hasRetryAfter && state && state.remaining === 0) {
    const waitMs = Math.max(0, state.resetAt - now) + RESET_MARGIN_MS;
    return {
      kind: 'primary',
      waitMs,
      reason: `GitHub ${state.resource} rate limit exhausted; it resets at ${new Date(state.resetAt).toISOString()}`,
    };
  }
  const secondary = hasRetryAfter || status === 429 || rateLimitedGraphql || /secondary rate limit|abuse/i.test(message);
  if (!secondary) return undefined;
  const backoff = SECONDARY_BASE_WAIT_MS * 2 ** attempt;
  const waitMs = hasRetryAfter ? Math.max(retryAfter * 1000, attempt === 0 ? 0 : backoff) : backoff;
  return { kind: 'secondary', waitMs, reason: `GitHub secondary rate limit${hasRetryAfter ? ` (retry-after ${retryAfter} s)` : ''}` };
}
