import type { Incident } from '@teamstate/core';
import type { SpIncident } from '../client/statuspage-api.js';

export const incidentId = (statuspageId: string) => `sp-${statuspageId}`;

/** A Statuspage incident as an incident record: its updates are the timeline's status updates. */
export function mapIncident(incident: SpIncident): Incident {
  const done = incident.status === 'resolved' || incident.status === 'postmortem' || incident.status === 'completed';
  const status = done ? 'resolved' : incident.status === 'investigating' ? 'triggered' : 'acknowledged';
  const updates = [...incident.incident_updates].sort((a, b) => a.created_at.localeCompare(b.created_at) || (a.id < b.id ? -1 : 1));
  const resolvedAt = done ? new Date(incident.resolved_at ?? updates.at(-1)?.created_at ?? incident.updated_at).toISOString() : undefined;
  const component = incident.components[0]?.name;
  return {
    id: incidentId(incident.id),
    title: incident.name,
    severity: incident.impact,
    createdAt: new Date(incident.created_at).toISOString(),
    ...(resolvedAt ? { resolvedAt } : {}),
    source: 'statuspage',
    externalId: incident.id,
    ...(component ? { service: component } : {}),
    status,
    responders: [],
    timeline: updates.map((u) => ({
      at: new Date(u.created_at).toISOString(),
      kind: 'status_update' as const,
      text: `${u.status}: ${u.body}`.slice(0, 20_000),
    })),
  };
}
