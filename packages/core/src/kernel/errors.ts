import { closest } from './model/suggest.js';

const marker = Symbol.for('teamstate.error');

/** Machine-readable error codes used across every teamstate package. */
export type TeamStateErrorCode =
  | 'invalid_bundle'
  | 'invalid_argument'
  | 'invalid_config'
  | 'not_found'
  | 'store_error'
  // A libSQL server (or an embedded replica's primary) that cannot be reached, or that refused the auth token.
  | 'store_unavailable'
  | 'store_unauthorized'
  // A shared database whose schema this version must not use as it is (older: `teamstate migrate`; newer: upgrade).
  | 'schema_outdated'
  | 'schema_mismatch'
  | 'sync_failed'
  | 'upstream_error'
  // Actions, policy and approvals (docs/approvals.md lists when each is raised).
  | 'invalid_policy'
  | 'invalid_params'
  | 'unknown_action_type'
  | 'precondition_failed'
  | 'unknown_approver'
  | 'self_decision'
  | 'not_an_approver'
  | 'policy_denied'
  | 'approval_not_pending'
  | 'approval_expired'
  | 'approval_not_approved'
  | (string & {});

/**
 * The base error of teamstate. Every error carries a string `code`; `TeamStateError.isInstance()`
 * recognises it even when two copies of the package are installed.
 *
 * @example
 * try { await ts.import(bundle) } catch (e) { if (TeamStateError.isInstance(e)) console.error(e.code, e.message) }
 */
export class TeamStateError extends Error {
  readonly [marker] = true;
  readonly code: TeamStateErrorCode;

  constructor(code: TeamStateErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'TeamStateError';
    this.code = code;
  }

  /** True for any teamstate error, whichever copy of the package created it. */
  static isInstance(value: unknown): value is TeamStateError {
    return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[marker] === true;
  }
}

/** One problem found in an input document, located by its JSON path (`workItems[3].createdAt`). */
export interface ValidationIssue {
  path: string;
  message: string;
}

/** An input document (bundle, config, policy, tool arguments) failed validation; lists every problem. */
export class ValidationError extends TeamStateError {
  readonly issues: ValidationIssue[];

  constructor(code: TeamStateErrorCode, what: string, issues: ValidationIssue[]) {
    const shown = issues.slice(0, 20).map((issue) => `  ${issue.path || '(root)'}: ${issue.message}`);
    const more = issues.length > 20 ? [`  … and ${issues.length - 20} more`] : [];
    const noun = issues.length === 1 ? 'problem' : 'problems';
    super(code, [`${what} has ${issues.length} ${noun}:`, ...shown, ...more].join('\n'));
    this.name = 'ValidationError';
    this.issues = issues;
  }
}

/** A referenced record (person, work item, approval …) does not exist in this workspace. */
export class NotFoundError extends TeamStateError {
  constructor(what: string, id: string) {
    super('not_found', `${what} "${id}" was not found in this workspace`);
    this.name = 'NotFoundError';
  }
}

/** A payload that passed the signature check but cannot be used: answered with 400. */
export class WebhookPayloadError extends TeamStateError {
  constructor(message: string) {
    super('invalid_webhook_payload', message);
    this.name = 'WebhookPayloadError';
  }
}

const upstreamMarker = Symbol.for('teamstate.upstream_error');

/** The request an upstream error came from, without headers or credentials. */
export interface UpstreamRequest {
  method: string;
  /** Path and query without secrets, e.g. `/repos/acme/api/pulls/42`, `/rest/api/3/issue/PAY-1`, `chat.postMessage`. */
  path: string;
}

/**
 * A call to an upstream API (GitHub, Jira, Slack, a third party's) failed. Connectors throw subclasses of it, so
 * core, the CLI and apps handle every upstream failure the same way: `statusCode` (absent when no answer came),
 * `isRetryable` (trying again later can help), `outcomeUnknown` (a write got no definite answer: re-read the
 * state before doing anything else, never send it blindly again) and the redacted `request`.
 *
 * @example if (UpstreamError.isInstance(error) && error.outcomeUnknown) await checkWhetherItLanded()
 */
export class UpstreamError extends TeamStateError {
  readonly [upstreamMarker] = true;
  readonly statusCode: number | undefined;
  readonly isRetryable: boolean;
  readonly outcomeUnknown: boolean;
  readonly request: UpstreamRequest;

  constructor(
    message: string,
    details: { statusCode?: number; isRetryable: boolean; outcomeUnknown?: boolean; request: UpstreamRequest; cause?: unknown },
  ) {
    super('upstream_error', message, { cause: details.cause });
    this.name = 'UpstreamError';
    this.statusCode = details.statusCode;
    this.isRetryable = details.isRetryable;
    this.outcomeUnknown = details.outcomeUnknown ?? false;
    this.request = details.request;
  }

  /** True for any upstream error, whichever copy of the package created it. */
  static override isInstance(value: unknown): value is UpstreamError {
    return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[upstreamMarker] === true;
  }
}

/** A thrown value's message, bounded so a huge upstream error cannot bloat the store. */
export function errorMessage(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.length > 2000 ? `${message.slice(0, 1997)}...` : message;
}

/** How {@link unknownId} words the known ids. */
export interface UnknownIdOptions {
  /** What the value names (`team`, `metric`); the field's name when left out. */
  what?: string;
  /** What stands before the known ids (default `known: `). */
  listAs?: string;
  /** When the known ids are listed: at most 20 of them (`few`, the default), `always`, `never`, or only without a suggestion. */
  list?: 'few' | 'always' | 'never' | 'unsuggested';
  /** Shown for an empty list (default `(none)`). */
  none?: string;
  /** The error's code (default `invalid_argument`, the code of every unknown team, person or id). */
  code?: TeamStateErrorCode;
}

/**
 * The one error for a value that names nothing known: `team: unknown team "paymnets" (did you mean "payments"?);
 * known: checkout, payments`, with the closest known id when it is a likely typo.
 * @example throw unknownId('team', 'paymnets', ['checkout', 'payments'])
 */
export function unknownId(field: string, value: unknown, known: readonly string[], options: UnknownIdOptions = {}): TeamStateError {
  const suggestion = typeof value === 'string' ? closest(value, known) : undefined;
  const list = options.list ?? 'few';
  const listed =
    list === 'always' || (list === 'few' && known.length <= 20) || (list === 'unsuggested' && !suggestion && known.length <= 20)
      ? `; ${options.listAs ?? 'known: '}${known.join(', ') || (options.none ?? '(none)')}`
      : '';
  return new TeamStateError(
    options.code ?? 'invalid_argument',
    `${field}: unknown ${options.what ?? field} ${JSON.stringify(value)}${suggestion ? ` (did you mean "${suggestion}"?)` : ''}${listed}`,
  );
}
