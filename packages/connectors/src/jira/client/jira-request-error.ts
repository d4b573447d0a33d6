import type { UpstreamRequest } from '@teamstate/core';
import { hasMarker, type RequestErrorDetails, UpstreamRequestError } from '../../upstream/upstream-request-error.js';

/** What went wrong, without credentials: the method and the path (the host and headers are left out). */
export type RedactedRequest = UpstreamRequest;

const marker = Symbol.for('teamstate.jira_request_error');

const WORDING = {
  product: 'Jira',
  unreachable: 'the Jira host could not be reached; check connectors.jira.host and the network',
  hints: {
    400: 'Jira refused the request; the message above says which field',
    401: 'check connectors.jira email + apiToken (Cloud) or bearerToken (OAuth 2.0, Data Center PAT); the token may have expired',
    403: 'the account lacks a permission (Browse projects for sync; Add comments, Transition, Assign or Create issues for actions)',
    404: 'check the project key, issue key or board id; Jira also answers 404 when the account may not see the item',
    429: 'still rate limited after the retries; sync again later or lower connectors.jira.requestsPerSecond',
  },
};

/**
 * A failed Jira request: an {@link UpstreamRequestError} with `statusCode`, `isRetryable`, `outcomeUnknown` and the
 * redacted request; the message is Jira's own error text plus what to do, never a credential.
 */
export class JiraRequestError extends UpstreamRequestError {
  readonly [marker] = true;

  constructor(request: RedactedRequest, statusCode: number | undefined, detail: string, options: RequestErrorDetails) {
    super(WORDING, request, statusCode, detail, options);
    this.name = 'JiraRequestError';
  }

  /** True for a `JiraRequestError`, whichever copy of the package created it. */
  static override isInstance(value: unknown): value is JiraRequestError {
    return hasMarker(value, marker);
  }
}

/** Jira's error payload (`{ errorMessages: [...], errors: { field: message } }`) as one line. */
export function describeJiraErrorBody(body: unknown, fallback: string): string {
  if (body && typeof body === 'object') {
    const { errorMessages, errors, message } = body as { errorMessages?: unknown; errors?: unknown; message?: unknown };
    const parts = [
      ...(Array.isArray(errorMessages) ? errorMessages.map(String) : []),
      ...(errors && typeof errors === 'object' ? Object.entries(errors).map(([field, text]) => `${field}: ${String(text)}`) : []),
      ...(typeof message === 'string' ? [message] : []),
    ];
    if (parts.length > 0) return parts.join('; ').slice(0, 500);
  }
  if (typeof body === 'string' && body.trim()) return body.trim().slice(0, 300);
  return fallback;
}
