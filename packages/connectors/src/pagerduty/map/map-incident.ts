import type { Incident, IncidentEvent } from '@teamstate/core';
import type { PdIncident, PdLogEntry } from '../client/pagerduty-api.js';
import type { ResolvedPagerDutyOptions } from '../options.js';

/** The teamstate id of a PagerDuty incident. */
export const incidentId = (pagerdutyId: string) => `pd-${pagerdutyId}`;
/** The PagerDuty id of an action's `incident` param: a PagerDuty id, or a teamstate id `pd-<id>`. */
export const pagerdutyId = (incident: string) => incident.replace(/^pd-/, '');

const KINDS: Record<string, IncidentEvent['kind']> = {
  trigger_log_entry: 'triggered',
  acknowledge_log_entry: 'acknowledged',
  escalate_log_entry: 'escalated',
  annotate_log_entry: 'note',
  resolve_log_entry: 'resolved',
};

const iso = (value: string) => new Date(value).toISOString();

/** A PagerDuty incident and its log entries as an incident record (log entries of other kinds are left out). */
export function mapIncident(incident: PdIncident, entries: readonly PdLogEntry[], options: ResolvedPagerDutyOptions): Incident {
  const timeline: IncidentEvent[] = [];
  for (const entry of [...entries].sort((a, b) => Date.parse(a.created_at) - Date.parse(b.created_at) || (a.id < b.id ? -1 : 1))) {
    const kind = KINDS[entry.type];
    if (!kind) continue;
    const text = entry.type === 'annotate_log_entry' ? (entry.channel?.summary ?? entry.note?.content ?? entry.summary) : entry.summary;
    timeline.push({
      at: iso(entry.created_at),
      kind,
      ...(entry.agent?.summary ? { actor: entry.agent.summary } : {}),
      ...(text ? { text: text.slice(0, 20_000) } : {}),
    });
  }
  const first = (kind: IncidentEvent['kind']) => timeline.find((e) => e.kind === kind)?.at;
  const resolvedAt =
    incident.status === 'resolved'
      ? incident.resolved_at
        ? iso(incident.resolved_at)
        : (first('resolved') ?? iso(incident.last_status_change_at ?? incident.created_at))
      : undefined;
  const acknowledgedAt = first('acknowledged') ?? (incident.acknowledgements?.[0] ? iso(incident.acknowledgements[0].at) : undefined);
  const responders = [
    ...new Set([
      ...(incident.assignments ?? []).map((a) => a.assignee.summary ?? a.assignee.id),
      ...(incident.acknowledgements ?? []).map((a) => a.acknowledger.summary ?? a.acknowledger.id),
    ]),
  ];
  const team = options.serviceTeams[incident.service.id];
  const repository = options.serviceRepositories[incident.service.id];
  const severity = incident.priority?.summary ?? incident.priority?.name;
  return {
    id: incidentId(incident.id),
    title: incident.title,
    ...(severity ? { severity } : {}),
    createdAt: iso(incident.created_at),
    ...(resolvedAt ? { resolvedAt } : {}),
    ...(repository ? { repository } : {}),
    source: 'pagerduty',
    externalId: incident.id,
    service: incident.service.summary ?? incident.service.id,
    ...(team ? { team } : {}),
    urgency: incident.urgency,
    status: incident.status,
    ...(acknowledgedAt ? { acknowledgedAt } : {}),
    responders,
    timeline,
  };
}
