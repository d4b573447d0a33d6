import { timingSafeEqual } from 'node:crypto';
import { TeamStateError, type WebhookEvent, type WebhookOutcome, WebhookPayloadError, type WebhookSpec } from '@teamstate/core';
import { createOpsgenieApi } from '../client/opsgenie-api.js';
import { mapIncident } from '../map/map-incident.js';
import type { ResolvedOpsgenieOptions } from '../options.js';

interface Payload {
  action?: unknown;
  alert?: { alertId?: unknown; alias?: unknown };
  incident?: { id?: unknown; incidentId?: unknown };
}

/** Whether `given` (the `X-Opsgenie-Key` header) is the configured key, compared in constant time. */
export function verifyOpsgenieKey(key: string, given: string | undefined): boolean {
  if (!given) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(key);
  return a.length === b.length && timingSafeEqual(a, b);
}

const noWaiting = async (_ms: number, reason: string) => {
  throw new TeamStateError('upstream_error', `${reason}: not waiting inside a webhook attempt; the delivery is retried later`);
};

const parse = (raw: Buffer): Payload | undefined => {
  try {
    return JSON.parse(raw.toString('utf8')) as Payload;
  } catch {
    return undefined;
  }
};

/**
 * Webhooks at `POST /webhooks/opsgenie` from an Opsgenie Webhook integration with the custom header
 * `X-Opsgenie-Key: <webhookKey>`: an incident event stores the incident read back (its alerts and log); alert events are
 * ignored (the next sync reads their incidents).
 */
export function createOpsgenieWebhooks(options: ResolvedOpsgenieOptions & { webhookKey: string }): WebhookSpec {
  const api = createOpsgenieApi(options, noWaiting);
  return {
    specificationVersion: 'v1',
    provider: 'opsgenie',
    verify: (request) => verifyOpsgenieKey(options.webhookKey, request.headers['x-opsgenie-key']),
    deliveryId: (request) => {
      const payload = parse(request.rawBody);
      const id = payload?.incident?.id ?? payload?.incident?.incidentId ?? payload?.alert?.alertId;
      return typeof id === 'string' && typeof payload?.action === 'string'
        ? `${id}:${payload.action}:${request.headers['x-request-id'] ?? ''}`
        : undefined;
    },
    eventName: (_request, payload) => {
      const action = (payload as Payload)?.action;
      return typeof action === 'string' ? action : undefined;
    },
    async handle(event: WebhookEvent): Promise<WebhookOutcome> {
      const incident = (event.payload as Payload).incident;
      if (!incident) return { ignored: `${event.name} is not an incident event` };
      const id = incident.id ?? incident.incidentId;
      if (typeof id !== 'string' || id === '') throw new WebhookPayloadError(`${event.name}: incident has no id (expected incident.id)`);
      const [record, alerts, logs] = await Promise.all([api.incident(id), api.associatedAlerts(id), api.incidentLogs(id)]);
      return { records: { incidents: [mapIncident(record, alerts, logs)] } };
    },
  };
}
