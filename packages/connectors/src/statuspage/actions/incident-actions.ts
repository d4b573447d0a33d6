import { defineActionType } from '@teamstate/core';
import { z } from 'zod';
import type { SpIncident, StatuspageApi } from '../client/statuspage-api.js';

const body = z.string().trim().min(1, { error: 'must not be empty' }).max(5_000, { error: 'must be at most 5,000 characters' });
const openStatus = z.enum(['investigating', 'identified', 'monitoring', 'resolved']);
const marked = (incident: SpIncident, key: string) => incident.metadata?.teamstate?.idempotency_key === key;

/** `statuspage.incident.create { name, status?, body, impact?, components? }`: a new incident on the page. */
function createAction(api: StatuspageApi) {
  return defineActionType({
    type: 'statuspage.incident.create',
    description: 'Open an incident on the status page',
    risk: 'high',
    params: z.strictObject({
      name: z.string().trim().min(1, { error: 'must not be empty' }).max(255, { error: 'must be at most 255 characters' }),
      status: openStatus.optional(),
      body,
      impact: z.enum(['none', 'minor', 'major', 'critical']).optional(),
      components: z.array(z.string().min(1)).max(50).optional(),
    }),
    async execute(params, ctx) {
      const incident = await api.create({
        name: params.name,
        status: params.status ?? 'investigating',
        body: params.body,
        ...(params.impact ? { impact_override: params.impact } : {}),
        ...(params.components ? { component_ids: params.components } : {}),
        metadata: { teamstate: { idempotency_key: ctx.idempotencyKey, approval: ctx.approvalId } },
      });
      return { incident: incident.id, shortlink: incident.shortlink };
    },
    async checkExecuted(params, ctx) {
      const found = (await api.search(params.name)).find((incident) => marked(incident, ctx.idempotencyKey));
      return found ? { executed: true, result: { incident: found.id, shortlink: found.shortlink } } : { executed: false };
    },
  });
}

/** `statuspage.incident.update { incident, status?, body }`: an update; an incident already resolved is stale. */
function updateAction(api: StatuspageApi) {
  const id = (incident: string) => incident.replace(/^sp-/, '');
  return defineActionType({
    type: 'statuspage.incident.update',
    description: 'Post an update to a status page incident',
    risk: 'high',
    params: z.strictObject({
      incident: z
        .string()
        .trim()
        .regex(/^(sp-)?[a-z0-9]{4,40}$/i, { error: 'expected a Statuspage incident id such as p31zjtct2jer (or sp-p31zjtct2jer)' }),
      status: openStatus.optional(),
      body,
    }),
    async precondition(params) {
      const incident = await api.incident(id(params.incident));
      return ['resolved', 'postmortem', 'completed'].includes(incident.status)
        ? { ok: false, reason: `incident ${incident.id} is already ${incident.status}` }
        : { ok: true, state: { updates: incident.incident_updates.map((u) => u.id) } };
    },
    async execute(params) {
      const incident = await api.update(id(params.incident), { body: params.body, ...(params.status ? { status: params.status } : {}) });
      return { incident: incident.id, status: incident.status };
    },
    async checkExecuted(params, ctx) {
      const before = new Set((ctx.proposedState as { updates?: string[] } | undefined)?.updates ?? []);
      const incident = await api.incident(id(params.incident));
      const posted = incident.incident_updates.some((u) => !before.has(u.id) && u.body === params.body);
      return posted ? { executed: true, result: { incident: incident.id, status: incident.status } } : { executed: false };
    },
  });
}

export const statuspageActions = (api: StatuspageApi) => [createAction(api), updateAction(api)];
