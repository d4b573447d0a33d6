import type { ServerResponse } from 'node:http';
import { TeamStateError } from '@teamstate/core';

/** The RFC 9457 `type` of a problem: one URI per teamstate error code (docs/rest-api.md#errors lists them). */
const problemType = (code: string) => `urn:teamstate:problem:${code}`;

/** Sends a JSON document. */
export function sendJson(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
  response.end(JSON.stringify(body));
}

/**
 * Sends an RFC 9457 problem: `{ type, title, status, detail }` as `application/problem+json`; `code` is the teamstate
 * error code (`approval_not_pending`), also the last part of `type`.
 */
export function sendProblem(
  response: ServerResponse,
  status: number,
  code: string,
  detail: string,
  headers: Record<string, string> = {},
  extra: Record<string, unknown> = {},
): void {
  response.writeHead(status, { 'content-type': 'application/problem+json; charset=utf-8', 'cache-control': 'no-store', ...headers });
  response.end(JSON.stringify({ type: problemType(code), title: TITLES[status] ?? 'Error', status, detail, code, ...extra }));
}

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  413: 'Content Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
};

/** The HTTP status of a teamstate error code. */
const STATUS_OF: Record<string, number> = {
  invalid_argument: 400,
  invalid_params: 400,
  unknown_action_type: 400,
  not_found: 404,
  approval_not_pending: 409,
  approval_expired: 409,
  approval_not_approved: 409,
  precondition_failed: 409,
  self_decision: 403,
  not_an_approver: 403,
  unknown_approver: 403,
  policy_denied: 403,
  forbidden: 403,
  rate_limited: 429,
  cost_cap_reached: 429,
  upstream_error: 502,
  store_unavailable: 503,
};

/** Answers a failed call with its problem: teamstate errors by their code, anything else 500 (its detail stays in the log). */
export function sendError(response: ServerResponse, error: unknown): boolean {
  if (!TeamStateError.isInstance(error)) return false;
  const status = STATUS_OF[error.code] ?? 400;
  const retryAfter = (error as { retryAfter?: unknown }).retryAfter;
  sendProblem(
    response,
    status,
    error.code,
    error.message,
    typeof retryAfter === 'number' ? { 'retry-after': Math.ceil(retryAfter).toString() } : {},
    typeof retryAfter === 'number' ? { retryAfter } : {},
  );
  return true;
}
