import { UpstreamError, type UpstreamRequest } from '@teamstate/core';
import { hasMarker } from '../../upstream/upstream-request-error.js';

/** The request an error came from, without headers (so never a token). */
export type RedactedRequest = UpstreamRequest;

const marker = Symbol.for('teamstate.github_api_error');

/**
 * A GitHub API call failed: an {@link UpstreamError} with the HTTP status, whether trying again later can help,
 * whether a write may have taken effect (`outcomeUnknown`), the request without its headers, and GraphQL error types.
 */
export class GitHubApiError extends UpstreamError {
  readonly [marker] = true;
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
    super(message, details);
    this.name = 'GitHubApiError';
    this.graphqlTypes = details.graphqlTypes ?? [];
  }

  /** True for a `GitHubApiError`, whichever copy of the package created it. */
  static override isInstance(value: unknown): value is GitHubApiError {
    return hasMarker(value, marker);
  }

  /** @deprecated Use {@link GitHubApiError.isInstance}. */
  static isGitHubApiError(value: unknown): value is GitHubApiError {
    return GitHubApiError.isInstance(value);
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
