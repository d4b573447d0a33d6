import { ErrorCode, type WebAPICallError } from '@slack/web-api';
import { UpstreamError } from '@teamstate/core';
import { unreachableHost } from '../../upstream/unreachable-host.js';
import { hasMarker } from '../../upstream/upstream-request-error.js';

const marker = Symbol.for('teamstate.slack_api_error');

/** What the token is missing, as Slack reports it on `missing_scope`. */
interface ScopeDetails {
  needed?: string;
  provided?: string;
}

/**
 * A failed Slack Web API call: an {@link UpstreamError} whose `slackError` is Slack's error string
 * (`channel_not_found`, `missing_scope`, `ratelimited` …); the message says what to do. It never contains the token.
 */
export class SlackApiError extends UpstreamError {
  readonly [marker] = true;
  /** The Web API method, e.g. `chat.postMessage`. */
  readonly method: string;
  /** Slack's `error` string, `ratelimited`, `http_<status>` or `request_failed`. */
  readonly slackError: string;
  /** Set on a rate limit: how long Slack asked to wait (Retry-After). */
  readonly retryAfterMs?: number;

  constructor(
    method: string,
    slackError: string,
    message: string,
    details: { statusCode?: number; isRetryable?: boolean; retryAfterMs?: number; outcomeUnknown?: boolean; cause?: unknown } = {},
  ) {
    // True `outcomeUnknown` when the call may have taken effect although it failed (no answer, a timeout, a 5xx):
    // a write is then looked up before anything else happens, never simply sent again.
    super(message, {
      statusCode: details.statusCode,
      isRetryable: details.isRetryable ?? false,
      outcomeUnknown: details.outcomeUnknown,
      request: { method: 'POST', path: method },
      cause: details.cause,
    });
    this.name = 'SlackApiError';
    this.method = method;
    this.slackError = slackError;
    this.retryAfterMs = details.retryAfterMs;
  }

  /** True for a `SlackApiError`, whichever copy of the package created it. */
  static override isInstance(value: unknown): value is SlackApiError {
    return hasMarker(value, marker);
  }
}

const HINTS: Record<string, string> = {
  not_authed: 'no token was sent: set connectors.slack.token to the bot token (xoxb-…)',
  invalid_auth: 'the token was refused: check connectors.slack.token (a bot token, xoxb-…, of an installed app)',
  account_inactive: 'the token belongs to a deactivated user or an uninstalled app: reinstall the app and use its new bot token',
  token_revoked: 'the token was revoked: reinstall the app and use its new bot token',
  channel_not_found: 'the channel does not exist or the app cannot see it: use a channel id (C…) and invite the app (/invite @app)',
  not_in_channel: 'the app is not a member of the channel: invite it (/invite @app) or add the chat:write.public scope',
  is_archived: 'the channel is archived: unarchive it or pick another channel',
  user_not_found: 'no such user in this workspace: use a Slack user id (U…)',
  message_not_found: 'the message no longer exists (deleted?)',
  cant_update_message: 'only messages posted by this app can be updated',
  expired_trigger_id: 'the click is more than 3 seconds old: click again',
};

/** Maps an error thrown by `@slack/web-api` (or anything else) to a {@link SlackApiError}. */
export function toSlackApiError(method: string, error: unknown): SlackApiError {
  if (error instanceof SlackApiError) return error;
  const coded = error as Partial<WebAPICallError> | undefined;
  switch (coded?.code) {
    case ErrorCode.RateLimitedError: {
      const seconds = (error as { retryAfter: number }).retryAfter;
      return new SlackApiError(method, 'ratelimited', `${method}: Slack rate limited this call; retry after ${seconds} s`, {
        statusCode: 429,
        isRetryable: true,
        retryAfterMs: Math.max(0, seconds) * 1000,
        cause: error,
      });
    }
    case ErrorCode.PlatformError: {
      const data = (error as { data: { error: string } & ScopeDetails }).data;
      const scope =
        data.error === 'missing_scope'
          ? `the token lacks the ${data.needed ?? 'needed'} scope${data.provided ? ` (it has ${data.provided})` : ''}: add it under OAuth & Permissions and reinstall the app`
          : undefined;
      const hint = scope ?? HINTS[data.error];
      return new SlackApiError(method, data.error, `${method}: Slack answered "${data.error}"${hint ? `: ${hint}` : ''}`, {
        statusCode: 200,
        isRetryable: data.error === 'internal_error' || data.error === 'fatal_error' || data.error === 'service_unavailable',
        outcomeUnknown: data.error === 'internal_error' || data.error === 'fatal_error',
        cause: error,
      });
    }
    case ErrorCode.HTTPError: {
      const status = (error as { statusCode: number }).statusCode;
      return new SlackApiError(method, `http_${status}`, `${method}: Slack answered HTTP ${status}`, {
        statusCode: status,
        isRetryable: status >= 500,
        outcomeUnknown: status >= 500,
        cause: error,
      });
    }
    default: {
      // A host whose name does not resolve or that refuses the connection: never reached, and no retry will reach it.
      const unreachable = unreachableHost(error);
      if (unreachable)
        return new SlackApiError(
          method,
          'request_failed',
          `${method}: ${unreachable.detail} (check connectors.slack.apiUrl and the network)`,
          {
            isRetryable: false,
            outcomeUnknown: false,
            cause: error,
          },
        );
      const reason = coded?.code === ErrorCode.RequestError ? (error as { original: Error }).original.message : errorText(error);
      return new SlackApiError(method, 'request_failed', `${method}: no answer from Slack (${reason})`, {
        isRetryable: true,
        outcomeUnknown: true,
        cause: error,
      });
    }
  }
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
