import type { UpstreamRequest } from '@teamstate/core';
import { hasMarker, type RequestErrorDetails, UpstreamRequestError } from '../../upstream/upstream-request-error.js';

const marker = Symbol.for('teamstate.confluence_request_error');

const WORDING = {
  product: 'Confluence',
  unreachable: 'the Confluence host could not be reached; check knowledge.confluence.host and the network',
  hints: {
    400: 'Confluence refused the request; the message above says which parameter',
    401: 'check knowledge.confluence.apiToken (Cloud: an API token with knowledge.confluence.email; Data Center: a personal access token); it may have expired or been revoked',
    403: 'the account may not read this space (it needs the space permission "View" / read:page:confluence)',
    404: 'check the space key and knowledge.confluence.host; Confluence also answers 404 when the account may not see the item',
    429: 'still rate limited after the retries; sync again later or lower knowledge.confluence.requestsPerSecond',
  },
};

/**
 * A failed Confluence request: an {@link UpstreamRequestError} with `statusCode`, `isRetryable` and the redacted
 * request (method and path; never the host's credentials or headers); the message is Confluence's own error text
 * plus what to do.
 */
export class ConfluenceRequestError extends UpstreamRequestError {
  readonly [marker] = true;

  constructor(request: UpstreamRequest, statusCode: number | undefined, detail: string, options: RequestErrorDetails) {
    super(WORDING, request, statusCode, detail, options);
    this.name = 'ConfluenceRequestError';
  }

  /** True for a `ConfluenceRequestError`, whichever copy of the package created it. */
  static override isInstance(value: unknown): value is ConfluenceRequestError {
    return hasMarker(value, marker);
  }
}

/**
 * Confluence's error payloads as one line: v2's `{ errors: [{ status, code, title, detail }] }` and v1's (Data Center)
 * `{ statusCode, message }`.
 */
export function describeConfluenceErrorBody(body: unknown, fallback: string): string {
  if (body && typeof body === 'object') {
    const { errors, message } = body as { errors?: unknown; message?: unknown };
    const parts = [
      ...(Array.isArray(errors)
        ? errors.map((error: { title?: unknown; detail?: unknown }) =>
            [error?.title, error?.detail].filter((part) => typeof part === 'string' && part !== '').join(': '),
          )
        : []),
      ...(typeof message === 'string' ? [message] : []),
    ].filter((part) => part !== '');
    if (parts.length > 0) return parts.join('; ').slice(0, 500);
  }
  if (typeof body === 'string' && body.trim() && !body.trimStart().startsWith('<')) return body.trim().slice(0, 300);
  return fallback;
}
