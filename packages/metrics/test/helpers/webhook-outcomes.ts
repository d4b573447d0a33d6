import type { Connector, TeamState, WebhookOutcome } from '@teamstate/core';
import { testConnector } from '@teamstate/core/testing';

/**
 * A connector (`tracker`) whose webhook answers each event (named by the payload's `event`) with the outcome given for
 * it: how the derived-data tests make a webhook write or remove records.
 */
export function webhookOutcomes(outcomes: Record<string, WebhookOutcome>): Connector {
  return testConnector({
    id: 'tracker',
    webhooks: {
      provider: 'tracker',
      verify: () => true,
      deliveryId: (request) => request.headers['x-delivery'],
      eventName: (_request, payload) => String((payload as { event?: unknown }).event),
      handle: async (event) => outcomes[event.name]!,
    },
  });
}

/** Delivers `event` to the `tracker` webhook of `ts` (the event's name is its delivery id). */
export const deliverEvent = (ts: TeamState, event: string) =>
  ts.webhooks.receive('tracker', { headers: { 'x-delivery': event }, rawBody: Buffer.from(JSON.stringify({ event })) });
