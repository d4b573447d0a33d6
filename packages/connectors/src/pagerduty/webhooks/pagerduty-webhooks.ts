import { createHmac, timingSafeEqual } from 'node:crypto';
import { TeamStateError, type WebhookEvent, type WebhookOutcome, WebhookPayloadError, type WebhookSpec } from '@teamstate/core';
import { createPagerDutyApi, type PdIncident } from '../client/pagerduty-api.js';
import { mapIncident } from '../map/map-incident.js';
import type { ResolvedPagerDutyOptions } from '../options.js';

interface V3Payload {
  event?: {
    id?: unknown;
    event_type?: unknown;
    resource_type?: unknown;
    occurred_at?: unknown;
    data?: { id?: unknown; type?: unknown; incident?: { id?: unknown } };
  };
}

/** `X-PagerDuty-Signature: v1=<hex>,v1=<hex>`: any one of them (several during a secret's rotation) must be the HMAC-SHA256 of the body. */
export function verifyPagerDutySignature(secret: string, rawBody: Buffer, header: string | undefined): boolean {
  if (!header) return false;
  const expected = Buffer.from(createHmac('sha256', secret).update(rawBody).digest('hex'));
  return header
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part.startsWith('v1='))
    .some((part) => {
      const given = Buffer.from(part.slice(3));
      return given.length === expected.length && timingSafeEqual(given, expected);
    });
}

const parse = (rawBody: Buffer): V3Payload | undefined => {
  try {
    return JSON.parse(rawBody.toString('utf8')) as V3Payload;
  } catch {
    return undefined;
  }
};

// One try per attempt: the webhook queue retries the delivery with back-off instead of waiting here.
const noWaiting = async (_ms: number, reason: string) => {
  throw new TeamStateError('upstream_error', `${reason}: not waiting inside a webhook attempt; the delivery is retried later`);
};

/**
 * Webhooks v3 at `POST /webhooks/pagerduty`: signed with `X-PagerDuty-Signature`, deduplicated by the event's id.
 * An `incident.*` event stores the incident as a sync would (its log entries read back, one request); other events
 * are ignored.
 */
export function createPagerDutyWebhooks(options: ResolvedPagerDutyOptions & { webhookSecret: string }): WebhookSpec {
  const api = createPagerDutyApi(options, noWaiting);
  return {
    specificationVersion: 'v1',
    provider: 'pagerduty',
    verify: (request) => verifyPagerDutySignature(options.webhookSecret, request.rawBody, request.headers['x-pagerduty-signature']),
    deliveryId: (request) => {
      const id = parse(request.rawBody)?.event?.id;
      return typeof id === 'string' && id !== '' ? id : undefined;
    },
    eventName: (_request, payload) => {
      const type = (payload as V3Payload)?.event?.event_type;
      return typeof type === 'string' ? type : undefined;
    },
    async handle(event: WebhookEvent): Promise<WebhookOutcome> {
      if (!event.name.startsWith('incident.')) return { ignored: `${event.name} is not an incident event` };
      const data = (event.payload as V3Payload).event?.data;
      const id = data?.type === 'incident' ? data.id : data?.incident?.id;
      if (typeof id !== 'string' || id === '')
        throw new WebhookPayloadError(`${event.name}: event.data has no incident id (expected event.data.id or event.data.incident.id)`);
      if (options.services.length > 0) {
        const incident: PdIncident = await api.incident(id);
        if (!options.services.includes(incident.service.id))
          return { ignored: `incident ${id} is of service ${incident.service.id}, not a synced one` };
        return { records: { incidents: [mapIncident(incident, await api.logEntries(id), options)] } };
      }
      const [incident, entries] = await Promise.all([api.incident(id), api.logEntries(id)]);
      return { records: { incidents: [mapIncident(incident, entries, options)] } };
    },
  };
}
