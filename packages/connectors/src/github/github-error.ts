import { TeamStateError } from '@teamstate/core';

/** The request an error came from, without headers (so never a token). */
export interface RedactedRequest {
  method: string;
  /** Path and query, e.g. `/repos/acme/api/pulls/42`; `/graphql` for GraphQL queries. */
  path: string;
}

/**
 * A GitHub API call failed. Carries the HTTP status, whether trying again later can help, whether a
 * write may have taken effect (`outcomeUnknown`), and the request without its headers.
 */
export class GitHubApiError extends TeamStateError {
  /** HTTP status, or `undefined` when no response arrived (network error). */
  readonly statusCode: number | undefined;
  readonly isRetryable: boolean;
  /** True when a write got no definite answer: re-read the state before doing anything else. */
  readonly outcomeUnknown: boolean;
  readonly request: RedactedRequest;
  /** GraphQL error types (`NOT_FOUND`, `RATE_LIMITED`, …) when the error came from a GraphQL response. */
  readonly graphqlTypes: readonly string[];

  constructor(
    message: string,
    details: {
      statusCode?: number;
      isRetryable: boolean;
      outcomeUnknown?: boolean;
      request: RedactedRequest;
      graphqlTypes?: readonly string[];
      cause?: unknown;
    },
  ) {
    super('upstream_error', message, { cause: details.cause });
    this.name = 'GitHubApiError';
    this.statusCode = details.statusCode;
    this.isRetryable = details.isRetryable;
    this.outcomeUnknown = details.outcomeUnknown ?? false;
    this.request = details.request;
    this.graphqlTypes = details.graphqlTypes ?? [];
  }

  /** True for a `GitHubApiError`, whichever copy of the package created it. */
  static isGitHubApiError(value: unknown): value is GitHubApiError {
    return TeamStateError.isInstance(value) && (value as { name?: unknown }).name === 'GitHubApiError';
  }
}

/** What to do about a status, appended to error messages so a person knows the fix. */
export function fixFor(status: number | undefined, path: string): string {
  switch (status) {
    case 401:
      return 'GitHub rejected the credentials: check that connectors.github.token (or the GitHub App key) is valid and not expired';
    case 403:
      return `the token may lack a permission for ${path} (see docs/connectors/github.md for the scopes each feature needs)`;
    case 404:
      return `not found, or the token cannot see it: check the repository name in connectors.github.repositories and the token's repository access`;
    case 422:
      return 'GitHub refused the request as invalid';
    default:
      return status !== undefined && status >= 500 ? 'GitHub had a server error; try again later' : '';
  }
}
