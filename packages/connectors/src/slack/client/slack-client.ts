import { LogLevel, type Logger as SlackLogger, WebClient } from '@slack/web-api';
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
   * A write, queued behind this connector's other writes. It is sent again only after a rate limit
   * (Slack did not take it), after waiting Retry-After, and only while that keeps it before `deadline`;
   * otherwise it fails without being sent. Any other failure is thrown as is, for the caller to look up
   * whether an ambiguous one took effect.
   */
  write<T>(method: string, args: Record<string, unknown>, options: { deadline: Date; now: () => Date }): Promise<T>;
  /** Posts a JSON message to an interaction's `response_url` (an ephemeral explanation). */
  respond(url: string, body: Record<string, unknown>): Promise<void>;
}

/** Attempts of a read before its failure is thrown. */
export const READ_ATTEMPTS = 5;
/** Rate-limited attempts of one write before it gives up, whatever the deadline. */
const WRITE_ATTEMPTS = 5;

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
    async read<T>(method: string, args: Record<string, unknown>, wait: ReportedWait): Promise<T> {
      for (let attempt = 1; ; attempt++) {
        try {
          return await call<T>(method, args);
        } catch (error) {
          const failure = toSlackApiError(method, error);
          if (!failure.isRetryable || attempt >= READ_ATTEMPTS) throw failure;
          const ms = failure.retryAfterMs ?? 1000 * 2 ** (attempt - 1);
          await wait(
            ms,
            failure.retryAfterMs === undefined ? `${method} failed (${failure.slackError}), retrying` : `Slack rate limit (${method})`,
          );
        }
      }
    },
    write<T>(method: string, args: Record<string, unknown>, { deadline, now }: { deadline: Date; now: () => Date }): Promise<T> {
      const run = async (): Promise<T> => {
        const started = now().getTime();
        let waited = 0;
        for (let attempt = 1; ; attempt++) {
          try {
            return await call<T>(method, args);
          } catch (error) {
            const failure = toSlackApiError(method, error);
            if (failure.retryAfterMs === undefined) throw failure;
            // The clock may be fixed (tests, --now): count the waits too.
            const at = Math.max(now().getTime(), started + waited);
            if (at + failure.retryAfterMs > deadline.getTime() || attempt >= WRITE_ATTEMPTS) {
              throw new SlackApiError(
                method,
                'ratelimited',
                `${method}: Slack rate limited it (retry after ${failure.retryAfterMs / 1000} s); waiting would pass this action's deadline ${deadline.toISOString()}, so it was not sent: propose it again`,
                { statusCode: 429, isRetryable: false, retryAfterMs: failure.retryAfterMs, cause: failure },
              );
            }
            await options.sleep(failure.retryAfterMs);
            waited += failure.retryAfterMs;
          }
        }
      };
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
