import { type ActionContext, defineActionType, TeamStateError } from '@teamstate/core';
import { z } from 'zod';
import type { PagerDutyApi } from '../client/pagerduty-api.js';
import { pagerdutyId } from '../map/map-incident.js';

const incidentParam = z
  .string()
  .trim()
  .regex(/^(pd-)?[A-Z0-9]{2,40}$/, { error: 'expected a PagerDuty incident id such as Q1ABCDEF2GH3IJ (or pd-Q1ABCDEF2GH3IJ)' });

/**
 * The `From:` of a write: the approver's email as PagerDuty knows it (their linked `pagerduty` account, whose login is
 * their PagerDuty email), else their own email, else the configured `from`.
 */
export function fromOf(ctx: Pick<ActionContext, 'approver'>, configured: string | undefined): string {
  const { approver } = ctx;
  const linked = approver?.accounts.find((a) => a.provider === 'pagerduty' && a.login?.includes('@'))?.login;
  const from = linked ?? approver?.email ?? configured;
  if (!from)
    throw new TeamStateError(
      'invalid_config',
      'pagerduty.from: PagerDuty writes need a From email of a PagerDuty user: the approver has none known, so set connectors.pagerduty.from',
    );
  return from;
}

/** `pagerduty.incident.acknowledge|resolve { incident }`: sets the status; an incident already resolved is stale. */
function statusAction(api: () => PagerDutyApi, from: string | undefined, status: 'acknowledged' | 'resolved') {
  const verb = status === 'acknowledged' ? 'acknowledge' : 'resolve';
  return defineActionType({
    type: `pagerduty.incident.${verb}`,
    description: `${verb[0]!.toUpperCase()}${verb.slice(1)} a PagerDuty incident`,
    risk: 'high',
    params: z.strictObject({ incident: incidentParam }),
    async precondition(params) {
      const incident = await api().incident(pagerdutyId(params.incident));
      return incident.status === 'resolved' ? { ok: false, reason: `incident ${incident.id} is already resolved` } : { ok: true };
    },
    async execute(params, ctx) {
      const incident = await api().updateIncident(pagerdutyId(params.incident), { status }, fromOf(ctx, from));
      return { incident: incident.id, status: incident.status };
    },
    async checkExecuted(params) {
      const incident = await api().incident(pagerdutyId(params.incident));
      return incident.status === status || (status === 'acknowledged' && incident.status === 'resolved')
        ? { executed: true, result: { incident: incident.id, status: incident.status } }
        : { executed: false };
    },
  });
}

/** `pagerduty.incident.escalate { incident }`: to the next escalation level (the level seen when proposed + 1). */
function escalateAction(api: () => PagerDutyApi, from: string | undefined) {
  return defineActionType({
    type: 'pagerduty.incident.escalate',
    description: 'Escalate a PagerDuty incident to the next level',
    risk: 'high',
    params: z.strictObject({ incident: incidentParam }),
    async precondition(params) {
      const incident = await api().incident(pagerdutyId(params.incident));
      if (incident.status === 'resolved') return { ok: false, reason: `incident ${incident.id} is already resolved` };
      return { ok: true, state: { level: incident.escalation_level ?? 1 } };
    },
    async execute(params, ctx) {
      const level = ((ctx.proposedState as { level?: number } | undefined)?.level ?? 1) + 1;
      const incident = await api().updateIncident(pagerdutyId(params.incident), { escalation_level: level }, fromOf(ctx, from));
      return { incident: incident.id, escalationLevel: incident.escalation_level ?? level };
    },
    async checkExecuted(params, ctx) {
      const level = ((ctx.proposedState as { level?: number } | undefined)?.level ?? 1) + 1;
      const incident = await api().incident(pagerdutyId(params.incident));
      return (incident.escalation_level ?? 0) >= level
        ? { executed: true, result: { incident: incident.id, escalationLevel: incident.escalation_level } }
        : { executed: false };
    },
  });
}

/**
 * `pagerduty.incident.page { service, title, urgency? }`: opens an incident on a service, which pages its on-call.
 * The approval's idempotency key is the incident key, so PagerDuty itself never opens two for one approval.
 */
function pageAction(api: () => PagerDutyApi, from: string | undefined) {
  return defineActionType({
    type: 'pagerduty.incident.page',
    description: 'Page a service: open a PagerDuty incident',
    risk: 'high',
    params: z.strictObject({
      service: z
        .string()
        .trim()
        .regex(/^[A-Z0-9]{2,40}$/, { error: 'expected a PagerDuty service id such as PSVC123' }),
      title: z.string().trim().min(1, { error: 'must not be empty' }).max(255, { error: 'must be at most 255 characters' }),
      urgency: z.enum(['high', 'low']).optional(),
    }),
    async execute(params, ctx) {
      const incident = await api().createIncident(
        {
          title: params.title,
          service: { id: params.service, type: 'service_reference' },
          urgency: params.urgency ?? 'high',
          incident_key: ctx.idempotencyKey,
        },
        fromOf(ctx, from),
      );
      return { incident: incident.id, url: incident.html_url };
    },
    async checkExecuted(_params, ctx) {
      const incident = await api().incidentByKey(ctx.idempotencyKey);
      return incident ? { executed: true, result: { incident: incident.id, url: incident.html_url } } : { executed: false };
    },
  });
}

export function pagerdutyActions(api: () => PagerDutyApi, from: string | undefined) {
  return [statusAction(api, from, 'acknowledged'), statusAction(api, from, 'resolved'), escalateAction(api, from), pageAction(api, from)];
}
