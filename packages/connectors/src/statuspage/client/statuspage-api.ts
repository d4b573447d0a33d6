import { UpstreamError } from '@teamstate/core';
import { READ_POLICY, sendWithRetries, WRITE_POLICY } from '../../upstream/http-retry.js';
import { unreachableHost } from '../../upstream/unreachable-host.js';
import { redactedRequest, UpstreamRequestError } from '../../upstream/upstream-request-error.js';
import type { ResolvedStatuspageOptions } from '../options.js';

// The Statuspage REST API v1 shapes teamstate reads (https://developer.statuspage.io).
export interface SpComponent {
  id: string;
  name: string;
  status: string;
  page_id: string;
}
export interface SpIncidentUpdate {
  id: string;
  status: string;
  body: string;
  created_at: string;
  display_at?: string;
}
export interface SpIncident {
  id: string;
  name: string;
  status:
    | 'investigating'
    | 'identified'
    | 'monitoring'
    | 'resolved'
    | 'postmortem'
    | 'scheduled'
    | 'in_progress'
    | 'verifying'
    | 'completed';
  impact: 'none' | 'minor' | 'major' | 'critical' | 'maintenance';
  created_at: string;
  updated_at: string;
  resolved_at: string | null;
  shortlink?: string;
  page_id: string;
  incident_updates: SpIncidentUpdate[];
  components: SpComponent[];
  metadata?: Record<string, Record<string, unknown>>;
}

export class StatuspageRequestError extends UpstreamRequestError {}

const WORDING = {
  product: 'Statuspage',
  hints: {
    401: 'check connectors.statuspage.token',
    404: 'check connectors.statuspage.pageId and the incident id',
    420: 'rate limited',
  } as Record<number, string>,
  unreachable: 'check connectors.statuspage.baseUrl and the network',
};

/** The Statuspage API v1 for one page: reads wait out 420/429 (Retry-After or back-off). */
export function createStatuspageApi(options: ResolvedStatuspageOptions) {
  async function request<T>(method: string, path: string, body?: unknown): Promise<T> {
    const url = `${options.baseUrl}/pages/${encodeURIComponent(options.pageId)}${path}`;
    const redacted = redactedRequest(method, url);
    const send = async () => {
      let response: Response;
      try {
        response = await fetch(url, {
          method,
          headers: { Authorization: `OAuth ${options.token}`, Accept: 'application/json', 'Content-Type': 'application/json' },
          ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        });
      } catch (cause) {
        const unreachable = unreachableHost(cause, url);
        throw new StatuspageRequestError(WORDING, redacted, undefined, unreachable?.detail ?? 'no answer', {
          isRetryable: unreachable === undefined,
          cause,
          secrets: [options.token],
        });
      }
      if (response.ok) return (await response.json()) as T;
      const limited = response.status === 420 || response.status === 429;
      const error = new StatuspageRequestError(
        WORDING,
        redacted,
        response.status,
        (await response.text()).slice(0, 300) || response.statusText,
        {
          isRetryable: limited || response.status >= 500,
          secrets: [options.token],
        },
      );
      const retryAfter = Number(response.headers.get('retry-after'));
      (error as { retryAfterMs?: number }).retryAfterMs = Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter * 1000 : undefined;
      throw error;
    };
    return sendWithRetries(send, {
      policy: method === 'GET' ? READ_POLICY : WRITE_POLICY,
      classify: (error) =>
        UpstreamError.isInstance(error)
          ? {
              rateLimited: error.statusCode === 420 || error.statusCode === 429,
              // No answer is worth another try, unless the host cannot be reached at all (isRetryable false).
              transient: (error.statusCode === undefined && error.isRetryable) || (error.statusCode ?? 0) >= 500,
              retryAfterMs: (error as { retryAfterMs?: number }).retryAfterMs,
            }
          : undefined,
      sleep: options.sleep,
      describe: (failure, retry) =>
        `Statuspage ${method} ${redacted.path}: ${failure.rateLimited ? 'rate limited' : 'failed'}, retry ${retry}`,
    });
  }
  return {
    components: () => request<SpComponent[]>('GET', '/components'),
    incidents: (page: number) => request<SpIncident[]>('GET', `/incidents?page=${page}&per_page=100`),
    search: (q: string) => request<SpIncident[]>('GET', `/incidents?q=${encodeURIComponent(q)}&per_page=100`),
    incident: (id: string) => request<SpIncident>('GET', `/incidents/${encodeURIComponent(id)}`),
    create: (incident: Record<string, unknown>) => request<SpIncident>('POST', '/incidents', { incident }),
    update: (id: string, incident: Record<string, unknown>) =>
      request<SpIncident>('PATCH', `/incidents/${encodeURIComponent(id)}`, { incident }),
  };
}

export type StatuspageApi = ReturnType<typeof createStatuspageApi>;
