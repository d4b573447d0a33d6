import type { Incident, IncidentEvent } from '@teamstate/core';
import type { OgAlert, OgIncident, OgLog } from '../client/opsgenie-api.js';

/** The teamstate id of an Opsgenie incident: `og-<id>`. */
export const incidentId = (opsgenieId: string) => `og-${opsgenieId}`;

const iso = (value: string | number) => new Date(value).toISOString();
const RESOLVED_LOG = /\b(resolved|closed)\b/i;

/**
 * An Incident API record as an incident: open → `triggered`, or `acknowledged` once one of its alerts is;
 * resolved (or closed) → `resolved`, at its resolve log entry. Its alerts are its timeline (triggered, acknowledged,
 * closed), with the log's resolve entry; the team that owns it is named `service`, its responders are its alerts'
 * acknowledgers and owners.
 */
export function mapIncident(incident: OgIncident, alerts: readonly OgAlert[], logs: readonly OgLog[], teamName?: string): Incident {
  const timeline: IncidentEvent[] = [{ at: iso(incident.createdAt), kind: 'triggered', text: incident.message.slice(0, 20_000) }];
  for (const alert of alerts) {
    const created = Date.parse(alert.createdAt);
    if (alert.acknowledged && alert.report?.ackTime !== undefined)
      timeline.push({
        at: iso(created + alert.report.ackTime),
        kind: 'acknowledged',
        ...(alert.report.acknowledgedBy ? { actor: alert.report.acknowledgedBy } : {}),
        text: `Alert ${alert.tinyId ?? alert.id} acknowledged`,
      });
  }
  const resolved = incident.status === 'open' ? undefined : logs.find((log) => RESOLVED_LOG.test(log.log));
  const resolvedAt = incident.status === 'open' ? undefined : iso(resolved?.createdAt ?? incident.updatedAt ?? incident.createdAt);
  if (resolvedAt)
    timeline.push({
      at: resolvedAt,
      kind: 'resolved',
      ...(resolved?.owner ? { actor: resolved.owner } : {}),
      text: resolved?.log ?? 'Resolved',
    });
  timeline.sort((a, b) => a.at.localeCompare(b.at));
  const acknowledgedAt = timeline.find((e) => e.kind === 'acknowledged')?.at;
  const status: Incident['status'] = resolvedAt ? 'resolved' : acknowledgedAt ? 'acknowledged' : 'triggered';
  const responders = [...new Set(alerts.flatMap((a) => [a.report?.acknowledgedBy, a.owner].filter((v): v is string => Boolean(v))))];
  const service = incident.impactedServices?.[0] ?? teamName;
  return {
    id: incidentId(incident.id),
    title: incident.message,
    ...(incident.priority ? { severity: incident.priority } : {}),
    createdAt: iso(incident.createdAt),
    ...(resolvedAt ? { resolvedAt } : {}),
    source: 'opsgenie',
    externalId: incident.id,
    ...(service ? { service } : {}),
    status,
    ...(acknowledgedAt ? { acknowledgedAt } : {}),
    responders,
    timeline,
  };
}
