import { UpstreamError } from '@teamstate/core';
import { JsonRequestError, sendJson } from '../../upstream/json-request.js';
import type { OpsgenieSleep, ResolvedOpsgenieOptions } from '../options.js';

// The Opsgenie REST API shapes teamstate reads (https://docs.opsgenie.com/docs/api-overview), the fields used.

/** A team, a user or a schedule as Opsgenie references one. */
export interface OgRef {
  id?: string;
  type?: string;
  name?: string;
  username?: string;
}
/** `GET /v1/incidents`: an Incident API record. */
export interface OgIncident {
  id: string;
  tinyId?: string;
  message: string;
  description?: string;
  status: 'open' | 'resolved' | 'closed';
  priority?: string;
  tags?: string[];
  createdAt: string;
  updatedAt?: string;
  ownerTeam?: string;
  responders?: OgRef[];
  impactedServices?: string[];
}
/** `GET /v2/alerts`, `GET /v2/alerts/{id}`: an alert. */
export interface OgAlert {
  id: string;
  tinyId?: string;
  alias?: string;
  message: string;
  status: 'open' | 'closed';
  acknowledged: boolean;
  createdAt: string;
  updatedAt?: string;
  priority?: string;
  owner?: string;
  teams?: OgRef[];
  responders?: OgRef[];
  /** Milliseconds from creation to the acknowledgement and the close, and who did them. */
  report?: { ackTime?: number; closeTime?: number; acknowledgedBy?: string; closedBy?: string };
}
/** `GET /v1/incidents/{id}/logs`: one entry of an incident's log. */
export interface OgLog {
  log: string;
  type: string;
  owner?: string;
  createdAt: string;
  offset?: string;
}
/** `GET /v2/schedules`. */
export interface OgSchedule {
  id: string;
  name: string;
  enabled?: boolean;
  timezone?: string;
  ownerTeam?: OgRef;
}
/** `GET /v2/schedules/{id}/timeline`: who is on call when. */
export interface OgTimeline {
  startDate: string;
  endDate: string;
  finalTimeline: {
    rotations: { id: string; name: string; periods?: { startDate: string; endDate: string; type: string; recipient: OgRef }[] }[];
  };
}
/** `GET /v2/teams`. */
export interface OgTeam {
  id: string;
  name: string;
}

export class OpsgenieRequestError extends JsonRequestError {}

/** The most ids `associated-alert-ids` answers a page. */
const ALERT_IDS_PAGE = 25;
/** Alerts read at once (an incident can group many). */
const ALERT_READS_AT_ONCE = 5;

const WORDING = {
  product: 'Opsgenie',
  hints: {
    401: 'check connectors.opsgenie.apiKey: the key of an API integration',
    403: 'the API key lacks access: give the integration read and create-and-update access',
    404: 'the alert, incident or schedule does not exist or the key cannot see it',
    429: 'rate limited: try again later',
  } as Record<number, string>,
  unreachable: 'check connectors.opsgenie.baseUrl and the network',
};

/** The Opsgenie REST API: `GenieKey` auth, reads wait out 429 (Retry-After or back-off), writes are sent once. */
export function createOpsgenieApi(options: ResolvedOpsgenieOptions, sleep: OpsgenieSleep = options.sleep) {
  const client = {
    wording: WORDING,
    errorClass: OpsgenieRequestError,
    headers: { Authorization: `GenieKey ${options.apiKey}`, Accept: 'application/json', 'Content-Type': 'application/json' },
    secrets: [options.apiKey],
    sleep,
  };
  const request = <T>(method: string, path: string, body?: unknown) => sendJson<T>(client, method, `${options.baseUrl}${path}`, body);
  /** Every page of an offset-paged list (100 a page). */
  async function all<T>(path: string): Promise<T[]> {
    const items: T[] = [];
    for (let offset = 0; ; ) {
      const joiner = path.includes('?') ? '&' : '?';
      const page = await request<{ data: T[]; paging?: { next?: string } }>('GET', `${path}${joiner}limit=100&offset=${offset}`);
      items.push(...page.data);
      offset += page.data.length;
      if (!page.paging?.next || page.data.length === 0) return items;
    }
  }
  const id = encodeURIComponent;
  const alert = async (alertId: string) => (await request<{ data: OgAlert }>('GET', `/v2/alerts/${id(alertId)}`)).data;
  /**
   * An incident's alerts: `GET /v1/incidents/{id}/associated-alert-ids` answers their ids only (25 a page at most, so
   * a full page asks for the next), then each alert is read by id, a few at a time; one deleted since (404) is left out.
   */
  async function associatedAlerts(incident: string): Promise<OgAlert[]> {
    const ids: string[] = [];
    for (;;) {
      const offset = ids.length > 0 ? `&offset=${ids.length}` : '';
      const page = await request<{ data: string[]; paging?: { next?: string } }>(
        'GET',
        `/v1/incidents/${id(incident)}/associated-alert-ids?limit=${ALERT_IDS_PAGE}&order=asc${offset}`,
      );
      ids.push(...page.data);
      if (page.data.length === 0 || (page.data.length < ALERT_IDS_PAGE && !page.paging?.next)) break;
    }
    const alerts: OgAlert[] = [];
    const unique = [...new Set(ids)];
    for (let start = 0; start < unique.length; start += ALERT_READS_AT_ONCE) {
      const read = await Promise.all(
        unique.slice(start, start + ALERT_READS_AT_ONCE).map((alertId) =>
          alert(alertId).catch((error: unknown) => {
            if (UpstreamError.isInstance(error) && error.statusCode === 404) return undefined;
            throw error;
          }),
        ),
      );
      alerts.push(...read.filter((a): a is OgAlert => a !== undefined));
    }
    return alerts;
  }
  return {
    teams: () => all<OgTeam>('/v2/teams'),
    /** Incidents created at or after `since` (epoch ms), oldest first. */
    incidents: (since: number) => all<OgIncident>(`/v1/incidents?query=${id(`createdAt>=${since}`)}&sort=createdAt&order=asc`),
    incident: async (incident: string) => (await request<{ data: OgIncident }>('GET', `/v1/incidents/${id(incident)}`)).data,
    incidentLogs: async (incident: string) =>
      (await request<{ data: OgLog[] }>('GET', `/v1/incidents/${id(incident)}/logs?order=asc&limit=100`)).data,
    associatedAlerts,
    alert,
    alertByAlias: async (alias: string) => {
      const found = await request<{ data: OgAlert[] }>('GET', `/v2/alerts?query=${id(`alias:${alias}`)}&limit=1`);
      return found.data[0];
    },
    schedules: () => all<OgSchedule>('/v2/schedules'),
    /** The schedule's final timeline over `days` days from `from`. */
    timeline: async (schedule: string, from: Date, days: number) =>
      (
        await request<{ data: OgTimeline }>(
          'GET',
          `/v2/schedules/${id(schedule)}/timeline?interval=${days}&intervalUnit=days&date=${id(from.toISOString())}`,
        )
      ).data,
    // Writes: Opsgenie answers 202 and processes them asynchronously.
    alertAction: (alert: string, action: 'acknowledge' | 'close' | 'escalate', body: Record<string, unknown>) =>
      request<{ requestId: string }>('POST', `/v2/alerts/${id(alert)}/${action}`, body),
    createAlert: (body: Record<string, unknown>) => request<{ requestId: string }>('POST', '/v2/alerts', body),
  };
}

export type OpsgenieApi = ReturnType<typeof createOpsgenieApi>;
