import { UpstreamError } from '@teamstate/core';
import { READ_POLICY, sendWithRetries } from '../../upstream/http-retry.js';
import { unreachableHost } from '../../upstream/unreachable-host.js';
import { redactedRequest, UpstreamRequestError } from '../../upstream/upstream-request-error.js';
import type { ResolvedCircleCiOptions } from '../options.js';

// The CircleCI API v2 shapes teamstate reads (https://circleci.com/docs/api/v2/), the fields used.

/** `GET /project/{slug}/pipeline`: newest first. */
export interface CciPipeline {
  id: string;
  number: number;
  project_slug: string;
  state: string;
  created_at: string;
  updated_at?: string;
  vcs?: { revision?: string; branch?: string; tag?: string; origin_repository_url?: string };
  trigger?: { type?: string; received_at?: string; actor?: { login?: string } };
}

/** `GET /pipeline/{id}/workflow`: a rerun of a workflow is a new workflow of the same pipeline, with the same name. */
export interface CciWorkflow {
  id: string;
  name: string;
  status: 'success' | 'running' | 'not_run' | 'failed' | 'error' | 'failing' | 'on_hold' | 'canceled' | 'unauthorized';
  created_at: string;
  stopped_at: string | null;
  pipeline_id: string;
  pipeline_number: number;
  project_slug?: string;
}

/** `GET /workflow/{id}/job`. */
export interface CciJob {
  id: string;
  job_number?: number;
  name: string;
  type: 'build' | 'approval';
  status: string;
  started_at: string | null;
  stopped_at: string | null;
}

interface Paged<T> {
  items: T[];
  next_page_token: string | null;
}

export class CircleCiRequestError extends UpstreamRequestError {}

const WORDING = {
  product: 'CircleCI',
  hints: {
    401: 'check connectors.circleci.token: a personal API token',
    404: 'check connectors.circleci.projects: the project does not exist or the token cannot see it',
    429: 'rate limited: try again later',
  } as Record<number, string>,
  unreachable: 'check connectors.circleci.baseUrl and the network',
};

/** The CircleCI API v2 (reads only): `Circle-Token` auth, 429 waited out (Retry-After or back-off), 5xx retried. */
export function createCircleCiApi(options: ResolvedCircleCiOptions) {
  const stats = { requests: 0 };
  async function get<T>(path: string): Promise<T> {
    const url = `${options.baseUrl}/api/v2${path}`;
    const redacted = redactedRequest('GET', url);
    const send = async () => {
      let response: Response;
      stats.requests += 1;
      try {
        response = await fetch(url, { headers: { 'Circle-Token': options.token, Accept: 'application/json' } });
      } catch (cause) {
        const unreachable = unreachableHost(cause, url);
        throw new CircleCiRequestError(WORDING, redacted, undefined, unreachable?.detail ?? 'no answer', {
          isRetryable: unreachable === undefined,
          cause,
          secrets: [options.token],
        });
      }
      if (response.ok) return (await response.json()) as T;
      const error = new CircleCiRequestError(
        WORDING,
        redacted,
        response.status,
        (await response.text()).slice(0, 300) || response.statusText,
        {
          isRetryable: response.status === 429 || response.status >= 500,
          secrets: [options.token],
        },
      );
      const retryAfter = Number(response.headers.get('retry-after'));
      (error as { retryAfterMs?: number }).retryAfterMs = Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter * 1000 : undefined;
      throw error;
    };
    return sendWithRetries(send, {
      policy: READ_POLICY,
      classify: (error) =>
        UpstreamError.isInstance(error)
          ? {
              rateLimited: error.statusCode === 429,
              // No answer is worth another try, unless the host cannot be reached at all (isRetryable false).
              transient: (error.statusCode === undefined && error.isRetryable) || (error.statusCode ?? 0) >= 500,
              retryAfterMs: (error as { retryAfterMs?: number }).retryAfterMs,
            }
          : undefined,
      sleep: options.sleep,
      describe: (failure, retry) => `CircleCI GET ${redacted.path}: ${failure.rateLimited ? 'rate limited' : 'failed'}, retry ${retry}`,
    });
  }
  const pageOf = <T>(path: string, token?: string) => get<Paged<T>>(`${path}${token ? `?page-token=${encodeURIComponent(token)}` : ''}`);
  async function all<T>(path: string): Promise<T[]> {
    const items: T[] = [];
    for (let token: string | undefined; ; ) {
      const page: Paged<T> = await pageOf<T>(path, token);
      items.push(...page.items);
      if (!page.next_page_token || page.items.length === 0) return items;
      token = page.next_page_token;
    }
  }
  return {
    stats,
    /** One page of the project's pipelines, newest first. */
    pipelines: (slug: string, token?: string) =>
      pageOf<CciPipeline>(`/project/${slug.split('/').map(encodeURIComponent).join('/')}/pipeline`, token),
    workflows: (pipeline: string) => all<CciWorkflow>(`/pipeline/${encodeURIComponent(pipeline)}/workflow`),
    jobs: (workflow: string) => all<CciJob>(`/workflow/${encodeURIComponent(workflow)}/job`),
  };
}

export type CircleCiApi = ReturnType<typeof createCircleCiApi>;
