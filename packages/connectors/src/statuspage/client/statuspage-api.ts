import { JsonRequestError, sendJson } from '../../upstream/json-request.js';
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

export class StatuspageRequestError extends JsonRequestError {}

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
  const client = {
    wording: WORDING,
    errorClass: StatuspageRequestError,
    headers: { Authorization: `OAuth ${options.token}`, Accept: 'application/json', 'Content-Type': 'application/json' },
    secrets: [options.token],
    sleep: options.sleep,
    // Statuspage answers 420 for its rate limit, as well as 429.
    rateLimitStatuses: [420, 429],
  };
  const request = <T>(method: string, path: string, body?: unknown) =>
    sendJson<T>(client, method, `${options.baseUrl}/pages/${encodeURIComponent(options.pageId)}${path}`, body);
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
