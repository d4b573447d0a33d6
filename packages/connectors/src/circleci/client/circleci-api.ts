import { JsonRequestError, sendJson } from '../../upstream/json-request.js';
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

export class CircleCiRequestError extends JsonRequestError {}

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
  const client = {
    wording: WORDING,
    errorClass: CircleCiRequestError,
    headers: { 'Circle-Token': options.token, Accept: 'application/json' },
    secrets: [options.token],
    sleep: options.sleep,
    onAttempt: () => {
      stats.requests += 1;
    },
  };
  const get = <T>(path: string) => sendJson<T>(client, 'GET', `${options.baseUrl}/api/v2${path}`);
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
