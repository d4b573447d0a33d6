import { TeamStateError } from '@teamstate/core';
import type { Client } from 'jira.js/core';
import { createRequestBudget, withRateLimit } from '../../upstream/with-rate-limit.js';
import type { JiraSleep, ResolvedJiraOptions } from '../options.js';
import { createCloudApi } from './cloud-api.js';
import { createDataCenterApi } from './data-center-api.js';
import type { JiraApi } from './jira-api.js';
import { describeJiraErrorBody, JiraRequestError } from './jira-request-error.js';

// Reads that Jira exposes as POST; repeating them changes nothing.
const READ_ONLY_POSTS = [/\/search\/jql$/, /\/search\/approximate-count$/, /\/changelog\/bulkfetch$/, /\/rest\/api\/2\/search$/];

/** The connector's way to Jira: one authenticated client, one request budget, an API per caller. */
export interface JiraTransport {
  /** The API whose rate-limit waits go through `sleep` (the sync reports them; actions and webhooks just wait). */
  api(sleep: JiraSleep): Promise<JiraApi>;
  /** Requests sent so far by this connector (retries included). */
  readonly requests: number;
}

// jira.js validates every response with zod schemas of the whole API; loading them costs about a
// second, so it happens on first use, not when the connector is configured.
let modules: Promise<[typeof import('jira.js/core'), typeof import('jira.js/cloud'), typeof import('jira.js/agile')]> | undefined;
const load = () => {
  modules ??= Promise.all([import('jira.js/core'), import('jira.js/cloud'), import('jira.js/agile')]);
  return modules;
};

/** Waits with a timer (actions and webhooks, which have no sync context to report to). */
export const timerSleep: JiraSleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Creates the transport; nothing is loaded or sent until the first `api()` call. */
export function createJiraTransport(options: ResolvedJiraOptions): JiraTransport {
  const budget = createRequestBudget(options.requestsPerSecond);
  let base: Promise<{ client: Client; jira: Awaited<ReturnType<typeof load>> }> | undefined;
  const connect = async () => {
    const jira = await load();
    const [core] = jira;
    const auth =
      options.bearerToken !== undefined
        ? ({ type: 'bearer', token: options.bearerToken } as const)
        : ({ type: 'basic', email: options.email ?? '', apiToken: options.apiToken ?? '' } as const);
    try {
      return { client: core.createClient({ host: options.host, auth, onSchemaMismatch: options.onSchemaMismatch ?? 'warn' }), jira };
    } catch (error) {
      // jira.js checks the configuration with zod; say which option is wrong without echoing a value.
      const path = (error as { issues?: { path?: PropertyKey[] }[] }).issues?.[0]?.path?.join('.') ?? 'host';
      const option = path.endsWith('email') ? 'email' : path.startsWith('auth') ? 'bearerToken' : 'host';
      throw new TeamStateError('invalid_config', `jira.${option}: rejected by the Jira client (${path}); check its format`, {
        cause: error,
      });
    }
  };
  return {
    get requests() {
      return budget.count;
    },
    async api(sleep) {
      base ??= connect();
      const {
        client,
        jira: [core, cloud, agile],
      } = await base;
      const limited = withRateLimit(client, {
        product: 'Jira',
        host: options.host,
        retry: options.retry,
        budget,
        sleep,
        secrets: [options.apiToken, options.bearerToken],
        errors: core,
        readOnlyPosts: READ_ONLY_POSTS,
        describeBody: describeJiraErrorBody,
        toError: (request, status, detail, failure) => new JiraRequestError(request, status, detail, failure),
      });
      if (options.deployment === 'datacenter') return createDataCenterApi(limited, agile.createAgileClient(limited));
      return createCloudApi(cloud.createCloudClient(limited), agile.createAgileClient(limited), limited);
    },
  };
}
