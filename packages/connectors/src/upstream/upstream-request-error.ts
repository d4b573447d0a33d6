import { redactSecrets, UpstreamError, type UpstreamRequest } from '@teamstate/core';

// Query parameters whose values are credentials (an OAuth token, an API key, a signature).
const SECRET_PARAMETER = /^(access_token|token|api[_-]?key|key|secret|signature|sig|password|jwt|code)$/i;

/**
 * The request as an error shows it: the method and the path with its query, never the host, credentials in the URL or
 * a query parameter's secret value (`?access_token=` becomes `?access_token=REDACTED`).
 */
export function redactedRequest(method: string, url: string): UpstreamRequest {
  const parsed = new URL(url, 'http://upstream.invalid');
  const secrets = [...parsed.searchParams.keys()].filter((key) => SECRET_PARAMETER.test(key));
  for (const key of secrets) parsed.searchParams.set(key, 'REDACTED');
  const path = secrets.length > 0 ? `${parsed.pathname}?${parsed.searchParams.toString()}` : `${parsed.pathname}${parsed.search}`;
  return { method: method.toUpperCase(), path };
}

/** What a write that got a 5xx or no answer tells the person: it may have landed, and was not sent again. */
export const OUTCOME_UNKNOWN_HINT = 'the write was not sent again: it may or may not have taken effect';

/** How an HTTP connector's request errors are worded. */
export interface RequestErrorWording {
  /** `Jira`, `Confluence`. */
  product: string;
  /** What to do about a status (401: which credential to check). */
  hints: Readonly<Record<number, string>>;
  /** What to do when no answer came (check the host setting and the network). */
  unreachable: string;
}

/** The details every connector's request error carries (see {@link UpstreamError}). */
export interface RequestErrorDetails {
  isRetryable: boolean;
  outcomeUnknown?: boolean;
  cause?: unknown;
  /** The connector's credentials: masked wherever the upstream's text echoes them. */
  secrets?: readonly (string | undefined)[];
}

/**
 * A failed request of an HTTP connector: an {@link UpstreamError} whose message is
 * `<Product> <METHOD> <path> failed with <status>: <upstream's own text> (<what to do>)`, with any secret-looking
 * value redacted. Jira's and Confluence's errors are its subclasses, each with its own marker.
 */
export class UpstreamRequestError extends UpstreamError {
  constructor(
    wording: RequestErrorWording,
    request: UpstreamRequest,
    statusCode: number | undefined,
    detail: string,
    details: RequestErrorDetails,
  ) {
    const hint = details.outcomeUnknown ? OUTCOME_UNKNOWN_HINT : statusCode === undefined ? wording.unreachable : wording.hints[statusCode];
    const message = `${wording.product} ${request.method} ${request.path} failed${statusCode ? ` with ${statusCode}` : ''}: ${detail}${hint ? ` (${hint})` : ''}`;
    super(redactSecrets(message, details.secrets), {
      statusCode,
      isRetryable: details.isRetryable,
      outcomeUnknown: details.outcomeUnknown,
      request,
      cause: details.cause,
    });
    this.name = 'UpstreamRequestError';
  }
}

/** `isInstance` for a subclass's own marker, which holds across two copies of the package. */
export function hasMarker(value: unknown, marker: symbol): boolean {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[marker] === true;
}
