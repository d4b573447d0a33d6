import { LogLevel, type Logger as SlackLogger, WebClient } from '@slack/web-api';
import { type AttemptFailure, READ_POLICY, type RetryPolicy, sendWithRetries, WRITE_POLICY } from '../../upstream/http-retry.js';
import { SlackApiError, toSlackApiError } from './slack-api-error.js';

/** How the connector talks to Slack. */
export interface SlackClientOptions {
  token: string;
  /** Web API base URL, ending in `/`. */
  apiUrl: string;
  /** Per-request timeout in milliseconds. */
  timeoutMs: number;
  /** How to wait (rate limits); tests pass a recording one. */
  sleep: (ms: number) => Promise<void>;
}

/** A wait that is reported (sync progress), e.g. `ctx.sleep`. */
export type ReportedWait = (ms: number, reason: string) => Promise<void>;

/** The Slack Web API with teamstate's retry rules: reads are retried, writes never blindly. */
export interface SlackClient {
  /** One call, never retried; failures are {@link SlackApiError}s. */
  call<T>(method: string, args?: Record<string, unknown>): Promise<T>;
  /**
   * A read: a rate limit is waited out for as long as Retry-After says and a transient failure (5xx, no
   * answer) is retried with backoff, both through `wait`, at most {@link READ_ATTEMPTS} attempts.
   */
  read<T>(method: string, args: Record<string, unknown>, wait: ReportedWait): Promise<T>;
  /**
   * A write, queued behind this connector's other writes, under the shared write policy
   * (`shared/http-retry.ts`). It is sent again only after a rate limit (Slack did not take it), after waiting
   * Retry-After, at most twice, for at most a minute each, and only while that keeps it before `deadline`;
   * otherwise it fails without being sent. Any other failure is thrown as is, for the caller to look up
   * whether an ambiguous one took effect.
   */
  write<T>(method: string, args: Record<string, unknown>, options: { deadline: Date; now: () => Date }): Promise<T>;
  /** Posts a JSON message to an interaction's `response_url` (an ephemeral explanation). */
  respond(url: string, body: Record<string, unknown>): Promise<void>;
}

/** Attempts of a read before its failure is thrown. */
export const READ_ATTEMPTS = 5;

/** Reads: the shared read policy with five attempts, backing off 1 s, 2 s, 4 s, 8 s without Retry-After. */
const SLACK_READ_POLICY: RetryPolicy = { ...READ_POLICY, maxRetries: READ_ATTEMPTS - 1 };

/** What a Slack failure is to the retry loop: `ratelimited` was refused untouched; a 5xx or no answer may pass. */
function classify(method: string, error: unknown): AttemptFailure {
  const failure = toSlackApiError(method, error);
  if (failure.slackError === 'ratelimited' && failure.retryAfterMs !== undefined)
    return { status: 429, rateLimited: true, retryAfterMs: failure.retryAfterMs, transient: false };
  return { status: failure.statusCode, rateLimited: false, transient: failure.isRetryable };
}

// The Web API client's own logging could print request bodies; teamstate logs what it needs itself.
const silent: SlackLogger = {
  debug() {},
  info() {},
  warn() {},
  error() {},
  setLevel() {},
  getLevel: () => LogLevel.ERROR,
  setName() {},
};

/** Creates a {@link SlackClient}: `@slack/web-api` with its automatic retries and rate-limit queueing off. */
export function createSlackClient(options: SlackClientOptions): SlackClient {
  const web = new WebClient(options.token, {
    slackApiUrl: options.apiUrl,
    // No retries inside the client (its default is 10 over about 30 minutes): reads retry below, writes never blindly.
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
    timeout: options.timeoutMs,
    logger: silent,
    // Resolved per request, so a fetch installed later (a proxy agent, a test interceptor) is used.
    fetch: (url, init) => globalThis.fetch(url, init as RequestInit),
  });
  const call = async <T>(method: string, args: Record<string, unknown> = {}): Promise<T> => {
    try {
      return (await web.apiCall(method, args)) as T;
    } catch (error) {
      throw toSlackApiError(method, error);
    }
  };
  let writes: Promise<unknown> = Promise.resolve();

  return {
    call,
    read<T>(method: string, args: Record<string, unknown>, wait: ReportedWait): Promise<T> {
      return sendWithRetries(() => call<T>(method, args), {
        policy: SLACK_READ_POLICY,
        classify: (error) => classify(method, error),
        sleep: wait,
        describe: (failure, _retry, error) =>
          failure.rateLimited
            ? `Slack rate limit (${method})`
            : `${method} failed (${toSlackApiError(method, error).slackError}), retrying`,
        giveUp: (error) => toSlackApiError(method, error),
      });
    },
    write<T>(method: string, args: Record<string, unknown>, { deadline, now }: { deadline: Date; now: () => Date }): Promise<T> {
      // The shared write policy: only a rate limit (Slack did not take the call) is waited out, never past the deadline.
      const run = (): Promise<T> =>
        sendWithRetries(() => call<T>(method, args), {
          policy: WRITE_POLICY,
          classify: (error) => classify(method, error),
          sleep: (ms) => options.sleep(ms),
          describe: () => `Slack rate limit (${method})`,
          deadline: deadline.getTime(),
          now: () => now().getTime(),
          giveUp: (error, { failure, reason }) => {
            const cause = toSlackApiError(method, error);
            if (!failure?.rateLimited || reason === 'not_retryable') return cause;
            const seconds = (failure.retryAfterMs ?? 0) / 1000;
            const why =
              reason === 'deadline'
                ? `waiting would pass this action's deadline ${deadline.toISOString()}`
                : reason === 'retry_after_too_long'
                  ? `that is longer than a write waits (${WRITE_POLICY.maxRetryAfterMs / 1000} s)`
                  : `it was still rate limited after ${WRITE_POLICY.maxRetries} retries`;
            return new SlackApiError(
              method,
              'ratelimited',
              `${method}: Slack rate limited it (retry after ${seconds} s); ${why}, so it was not sent: propose it again`,
              { statusCode: 429, isRetryable: false, retryAfterMs: failure.retryAfterMs, cause },
            );
          },
        });
      const result = writes.then(run);
      writes = result.catch(() => undefined);
      return result;
    },
    async respond(url, body) {
      if (!isSlackUrl(url, options.apiUrl)) {
        throw new SlackApiError('response_url', 'invalid_response_url', 'response_url: refusing to post to a URL that is not Slack');
      }
      let response: Response;
      try {
        response = await globalThis.fetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json; charset=utf-8' },
          body: JSON.stringify(body),
          signal: AbortSignal.timeout(options.timeoutMs),
        });
      } catch (error) {
        throw toSlackApiError('response_url', error);
      }
      if (!response.ok) {
        throw new SlackApiError('response_url', `http_${response.status}`, `response_url: Slack answered HTTP ${response.status}`, {
          statusCode: response.status,
        });
      }
    },
  };
}

// response_url comes in a signed payload; still, only Slack (or the configured API host, for local servers) gets the post.
function isSlackUrl(url: string, apiUrl: string): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  if (parsed.origin === new URL(apiUrl).origin) return true;
  return parsed.protocol === 'https:' && (parsed.hostname === 'slack.com' || parsed.hostname.endsWith('.slack.com'));
}
