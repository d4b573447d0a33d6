import { TeamStateError } from '@teamstate/core';
import { createRequestBudget, type RetrySleep, withRateLimit } from '../../upstream/with-rate-limit.js';
import type { ResolvedConfluenceOptions } from '../options.js';
import { createCloudApi } from './cloud-api.js';
import type { ConfluenceApi } from './confluence-api.js';
import { ConfluenceRequestError, describeConfluenceErrorBody } from './confluence-request-error.js';
import { createDataCenterApi } from './data-center-api.js';

/** The source's way to Confluence: one authenticated client, one request budget. */
export interface ConfluenceTransport {
  /** The API whose rate-limit waits go through `sleep` (the sync reports them as progress). */
  api(sleep: RetrySleep): Promise<ConfluenceApi>;
  /** Requests sent so far (retries included). */
  readonly requests: number;
}

/**
 * Creates the transport: the HTTP core that Jira's connector uses (jira.js's core client, the same code as
 * confluence.js's, loaded on first use) with the shared retry and budget wrapper. Nothing is sent until `api()`.
 */
export function createConfluenceTransport(options: ResolvedConfluenceOptions): ConfluenceTransport {
  const budget = createRequestBudget(options.requestsPerSecond);
  let core: Promise<typeof import('jira.js/core')> | undefined;
  return {
    get requests() {
      return budget.count;
    },
    async api(sleep) {
      core ??= import('jira.js/core');
      const http = await core;
      const auth =
        options.deployment === 'cloud'
          ? ({ type: 'basic', email: options.email ?? '', apiToken: options.apiToken } as const)
          : ({ type: 'bearer', token: options.apiToken } as const);
      let client: import('jira.js/core').Client;
      try {
        client = http.createClient({ host: options.host, auth });
      } catch (error) {
        // The client checks its configuration with zod; say which option is wrong without echoing a value.
        const path = (error as { issues?: { path?: PropertyKey[] }[] }).issues?.[0]?.path?.join('.') ?? 'host';
        const option = path.endsWith('email') ? 'email' : path.startsWith('auth') ? 'apiToken' : 'host';
        throw new TeamStateError(
          'invalid_config',
          `knowledge.confluence.${option}: rejected by the HTTP client (${path}); check its format`,
          {
            cause: error,
          },
        );
      }
      const limited = withRateLimit(client, {
        product: 'Confluence',
        host: options.host,
        retry: options.retry,
        budget,
        sleep,
        secrets: [options.apiToken],
        errors: http,
        describeBody: describeConfluenceErrorBody,
        toError: (request, status, detail, failure) => new ConfluenceRequestError(request, status, detail, failure),
      });
      return options.deployment === 'cloud' ? createCloudApi(limited, options.pageSize) : createDataCenterApi(limited, options.pageSize);
    },
  };
}
