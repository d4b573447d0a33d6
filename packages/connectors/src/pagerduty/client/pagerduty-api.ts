import { UpstreamError } from '@teamstate/core';
import { READ_POLICY, sendWithRetries, WRITE_POLICY } from '../../upstream/http-retry.js';
import { unreachableHost } from '../../upstream/unreachable-host.js';
import { redactedRequest, UpstreamRequestError } from '../../upstream/upstream-request-error.js';
import type { PagerDutySleep, ResolvedPagerDutyOptions } from '../options.js';

// The PagerDuty REST API v2 shapes teamstate reads (https://developer.pagerduty.com/api-reference).
export interface PdReference {
  id: string;
  type: string;
  summary?: string;
  html_url?: string;
}
export interface PdService extends PdReference {
  name: string;
  status?: string;
  escalation_policy?: PdReference;
  teams?: PdReference[];
}
export interface PdIncident extends PdReference {
  incident_number: number;
  title: string;
  status: 'triggered' | 'acknowledged' | 'resolved';
  urgency: 'high' | 'low';
  created_at: string;
  updated_at?: string;
  last_status_change_at?: string;
  resolved_at?: string | null;
  incident_key?: string | null;
  service: PdReference;
  priority?: { summary?: string; name?: string } | null;
  assignments?: { at: string; assignee: PdReference }[];
  acknowledgements?: { at: string; acknowledger: PdReference }[];
  escalation_policy?: PdReference;
  escalation_level?: number;
}
export interface PdLogEntry {
  id: string;
  type: string;
  created_at: string;
  summary?: string;
  agent?: PdReference | null;
  channel?: { type?: string; summary?: string; details?: unknown } | null;
  note?: { content?: string };
}
/** A `/oncalls` entry; with `include[]=users` its user is the whole user (with `name` and `email`). */
export interface PdOncall {
  user: PdReference & { name?: string; email?: string; time_zone?: string };
  escalation_policy: PdReference;
  escalation_level: number;
  schedule?: PdReference | null;
  start: string | null;
  end: string | null;
}
interface Page {
  limit: number;
  offset: number;
  more: boolean;
}

export class PagerDutyRequestError extends UpstreamRequestError {}

const WORDING = {
  product: 'PagerDuty',
  hints: {
    401: 'check connectors.pagerduty.token: a REST API key',
    403: 'the API key lacks access: use a full-access or write key for actions',
    404: 'the incident or service does not exist or the key cannot see it',
    429: 'rate limited: try again later',
  } as Record<number, string>,
  unreachable: 'check connectors.pagerduty.baseUrl and the network',
};

/** The PagerDuty REST API v2: reads wait out 429 (Retry-After or back-off), writes send `From:`. */
export function createPagerDutyApi(options: ResolvedPagerDutyOptions, sleep: PagerDutySleep = options.sleep) {
  async function request<T>(method: string, path: string, body?: unknown, from?: string): Promise<T> {
    const url = `${options.baseUrl}${path}`;
    const redacted = redactedRequest(method, url);
    const send = async () => {
      let response: Response;
      try {
        response = await fetch(url, {
          method,
          headers: {
            Authorization: `Token token=${options.token}`,
            Accept: 'application/json',
            'Content-Type': 'application/json',
            ...(from ? { From: from } : {}),
          },
          ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        });
      } catch (cause) {
        const unreachable = unreachableHost(cause, url);
        throw new PagerDutyRequestError(WORDING, redacted, undefined, unreachable?.detail ?? 'no answer', {
          isRetryable: unreachable === undefined,
          cause,
          secrets: [options.token, from],
        });
      }
      if (response.ok) return (await response.json()) as T;
      const text = (await response.text()).slice(0, 300);
      const retryAfter = Number(response.headers.get('retry-after'));
      const error = new PagerDutyRequestError(WORDING, redacted, response.status, text || response.statusText, {
        isRetryable: response.status === 429 || response.status >= 500,
        secrets: [options.token, from],
      });
      (error as { retryAfterMs?: number }).retryAfterMs = Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter * 1000 : undefined;
      throw error;
    };
    return sendWithRetries(send, {
      policy: method === 'GET' || method === 'PUT' ? READ_POLICY : WRITE_POLICY,
      classify: (error) =>
        UpstreamError.isInstance(error)
          ? {
              rateLimited: error.statusCode === 429,
              // No answer is worth another try, unless the host cannot be reached at all (isRetryable false).
              transient: (error.statusCode === undefined && error.isRetryable) || (error.statusCode ?? 0) >= 500,
              retryAfterMs: (error as { retryAfterMs?: number }).retryAfterMs,
            }
          : undefined,
      sleep,
      describe: (failure, retry) =>
        `PagerDuty ${method} ${redacted.path}: ${failure.rateLimited ? 'rate limited' : 'failed'}, retry ${retry}`,
    });
  }
  const query = (params: Record<string, string | number | readonly string[] | undefined>) => {
    const search = new URLSearchParams();
    for (const [key, value] of Object.entries(params)) {
      if (value === undefined) continue;
      if (Array.isArray(value)) for (const v of value) search.append(`${key}[]`, v);
      else search.set(key, String(value));
    }
    return search.toString();
  };
  return {
    async services(offset: number): Promise<{ services: PdService[] } & Page> {
      return request('GET', `/services?${query({ limit: 100, offset, total: 'false' })}`);
    },
    async incidents(params: {
      since: string;
      until: string;
      offset: number;
      serviceIds: readonly string[];
    }): Promise<{ incidents: PdIncident[] } & Page> {
      return request(
        'GET',
        `/incidents?${query({ since: params.since, until: params.until, limit: 100, offset: params.offset, time_zone: 'UTC', sort_by: 'created_at:asc', service_ids: params.serviceIds.length ? params.serviceIds : undefined, statuses: ['triggered', 'acknowledged', 'resolved'] })}`,
      );
    },
    async incidentByKey(key: string): Promise<PdIncident | undefined> {
      const { incidents } = await request<{ incidents: PdIncident[] }>('GET', `/incidents?${query({ incident_key: key, limit: 1 })}`);
      return incidents[0];
    },
    async incident(id: string): Promise<PdIncident> {
      return (await request<{ incident: PdIncident }>('GET', `/incidents/${encodeURIComponent(id)}`)).incident;
    },
    async logEntries(id: string): Promise<PdLogEntry[]> {
      const entries: PdLogEntry[] = [];
      for (let offset = 0; ; ) {
        const page = await request<{ log_entries: PdLogEntry[] } & Page>(
          'GET',
          `/incidents/${encodeURIComponent(id)}/log_entries?${query({ limit: 100, offset, time_zone: 'UTC', is_overview: 'true' })}`,
        );
        entries.push(...page.log_entries);
        offset += page.log_entries.length;
        if (!page.more || page.log_entries.length === 0) return entries;
      }
    },
    /** The shifts overlapping `[since, until]` (at most 90 days), of these escalation policies (all when none), users included. */
    async oncalls(params: {
      since: string;
      until: string;
      offset: number;
      escalationPolicyIds: readonly string[];
    }): Promise<{ oncalls: PdOncall[] } & Page> {
      return request(
        'GET',
        `/oncalls?${query({ since: params.since, until: params.until, limit: 100, offset: params.offset, time_zone: 'UTC', include: ['users'], escalation_policy_ids: params.escalationPolicyIds.length ? params.escalationPolicyIds : undefined })}`,
      );
    },
    async updateIncident(id: string, change: Record<string, unknown>, from: string): Promise<PdIncident> {
      return (
        await request<{ incident: PdIncident }>(
          'PUT',
          `/incidents/${encodeURIComponent(id)}`,
          { incident: { type: 'incident_reference', ...change } },
          from,
        )
      ).incident;
    },
    async createIncident(incident: Record<string, unknown>, from: string): Promise<PdIncident> {
      return (await request<{ incident: PdIncident }>('POST', '/incidents', { incident: { type: 'incident', ...incident } }, from))
        .incident;
    },
  };
}

export type PagerDutyApi = ReturnType<typeof createPagerDutyApi>;
