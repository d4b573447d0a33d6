import { UpstreamError, type UpstreamRequest } from '@teamstate/core';
import {
  type AttemptFailure,
  parseRetryAfter,
  READ_POLICY,
  type RetryPolicy,
  sendWithRetries,
  WRITE_POLICY,
} from '../../upstream/http-retry.js';
import { unreachableHost } from '../../upstream/unreachable-host.js';
import { redactedRequest, UpstreamRequestError } from '../../upstream/upstream-request-error.js';

/** A wait between requests (a rate limit or a back-off), reported as progress by a sync. */
export type GitLabSleep = (ms: number, reason: string) => Promise<void>;

export class GitLabRequestError extends UpstreamRequestError {
  /** How long GitLab asked to wait (`Retry-After`), for the retry loop. */
  retryAfterMs?: number;
}

const WORDING = {
  product: 'GitLab',
  hints: {
    401: 'check connectors.gitlab.token: a personal, group or project access token with read_api (api for actions)',
    403: 'the token lacks access: read_api for sync, api for actions, and at least Reporter role (Developer to merge)',
    404: 'the group, project or merge request does not exist or the token cannot see it',
    429: 'rate limited: try again later',
  } as Record<number, string>,
  unreachable: 'check connectors.gitlab.baseUrl and the network',
};

/** The longest GitLab's `RateLimit-Reset` is waited for before a request (a window is at most a minute). */
const MAX_RESET_WAIT_MS = 60_000;

/** How a GitLab client sends its requests: a token, the clock, and how to wait. */
export interface GitLabRequestOptions {
  token: string;
  now(): Date;
  sleep: GitLabSleep;
  signal?: AbortSignal;
  /** Override of the read policy (webhooks and actions do not wait long). */
  readPolicy?: RetryPolicy;
}

/** One client's requests: its options, what it counted, and when GitLab's used-up rate limit resets. */
export interface GitLabConnection {
  options: GitLabRequestOptions;
  stats: { requests: number; waits: number };
  /** Set by a response whose `RateLimit-Remaining` is 0; the next request waits for it. */
  resetAt: number | undefined;
}

/** One request to GitLab, as the retry loop attempts it. */
interface Attempt {
  method: string;
  url: string;
  body: Record<string, unknown> | undefined;
  redacted: UpstreamRequest;
  /** Never sent twice: a POST, or a merge (a PUT but not idempotent). */
  write: boolean;
}

/**
 * Sends a request, retried as its policy says (a read's, or a write's that never sends it twice after a lost answer),
 * and returns the parsed answer with its headers.
 */
export async function send<T>(
  conn: GitLabConnection,
  method: string,
  url: string,
  body?: Record<string, unknown>,
): Promise<{ data: T; headers: Headers }> {
  const redacted = redactedRequest(method, url);
  // A merge is a PUT but not idempotent: like a POST, it is never sent twice.
  const write = method === 'POST' || (method === 'PUT' && /\/merge$/.test(new URL(url).pathname));
  const request: Attempt = { method, url, body, redacted, write };
  const { options, stats } = conn;
  return sendWithRetries(() => attempt<T>(conn, request), {
    policy: write ? WRITE_POLICY : (options.readPolicy ?? READ_POLICY),
    classify: (error) => classify(options.signal, error),
    sleep: async (ms, reason) => {
      stats.waits += 1;
      await options.sleep(ms, reason);
    },
    describe: (failure, retry) =>
      `GitLab ${method} ${redacted.path}: ${failure.rateLimited ? 'rate limited (429)' : 'failed'}, retry ${retry}`,
  });
}

function classify(signal: AbortSignal | undefined, error: unknown): AttemptFailure | undefined {
  return UpstreamError.isInstance(error) && !signal?.aborted
    ? {
        status: error.statusCode,
        rateLimited: error.statusCode === 429,
        // No answer is worth another try, unless the host cannot be reached at all (isRetryable false).
        transient: (error.statusCode === undefined && error.isRetryable) || (error.statusCode ?? 0) >= 500,
        retryAfterMs: (error as GitLabRequestError).retryAfterMs,
      }
    : undefined;
}

async function attempt<T>(conn: GitLabConnection, request: Attempt): Promise<{ data: T; headers: Headers }> {
  await waitForRateLimitReset(conn, request.redacted);
  conn.stats.requests += 1;
  const response = await fetchOnce(conn.options, request);
  const remaining = response.headers.get('ratelimit-remaining');
  const reset = Number(response.headers.get('ratelimit-reset'));
  if (remaining !== null && Number(remaining) <= 0 && Number.isFinite(reset) && reset > 0) conn.resetAt = reset * 1000;
  if (response.ok) {
    const text = await response.text();
    return { data: (text ? JSON.parse(text) : undefined) as T, headers: response.headers };
  }
  throw await failureOf(conn.options, request, response);
}

/** Waits (a minute at most) for the reset of a rate limit the last response said was used up. */
async function waitForRateLimitReset(conn: GitLabConnection, redacted: UpstreamRequest): Promise<void> {
  if (conn.resetAt === undefined) return;
  const ms = Math.min(MAX_RESET_WAIT_MS, conn.resetAt - conn.options.now().getTime());
  conn.resetAt = undefined;
  if (ms > 0) {
    conn.stats.waits += 1;
    await conn.options.sleep(ms, `GitLab rate limit used up; waiting for RateLimit-Reset before ${redacted.method} ${redacted.path}`);
  }
}

/** The response to one sending of `request`; no answer at all is a retryable error (of unknown outcome for a write). */
async function fetchOnce(options: GitLabRequestOptions, { method, url, body, redacted, write }: Attempt): Promise<Response> {
  try {
    return await fetch(url, {
      method,
      headers: {
        'PRIVATE-TOKEN': options.token,
        Accept: 'application/json',
        ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      ...(options.signal ? { signal: options.signal } : {}),
    });
  } catch (cause) {
    options.signal?.throwIfAborted();
    const unreachable = unreachableHost(cause, url);
    throw new GitLabRequestError(WORDING, redacted, undefined, unreachable?.detail ?? 'no answer', {
      isRetryable: unreachable === undefined,
      outcomeUnknown: write,
      cause,
      secrets: [options.token],
    });
  }
}

/** The error of a failed answer, with GitLab's message and how long it asked to wait. */
async function failureOf(options: GitLabRequestOptions, request: Attempt, response: Response): Promise<GitLabRequestError> {
  const text = (await response.text()).slice(0, 300);
  let detail = text || response.statusText;
  try {
    const parsed = JSON.parse(text) as { message?: unknown; error?: unknown };
    const message = parsed.message ?? parsed.error;
    if (message !== undefined) detail = typeof message === 'string' ? message : JSON.stringify(message);
  } catch {}
  const error = new GitLabRequestError(WORDING, request.redacted, response.status, detail, {
    isRetryable: response.status === 429 || response.status >= 500,
    outcomeUnknown: request.write && response.status >= 500,
    secrets: [options.token],
  });
  error.retryAfterMs = parseRetryAfter(response.headers.get('retry-after'), options.now().getTime());
  return error;
}
