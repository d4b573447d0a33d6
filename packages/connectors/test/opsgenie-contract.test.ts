import { opsgenie } from '@teamstate/connectors/opsgenie';
import { connectorContract } from '@teamstate/core/testing';
import { createFakeOpsgenie, OPSGENIE, OPSGENIE_KEY, serveFakeOpsgenie } from './opsgenie/fake-opsgenie.js';

const fake = createFakeOpsgenie();
const server = serveFakeOpsgenie(fake);
const ALERT = '9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d-1773727500000';

connectorContract({
  name: 'opsgenie',
  create: () => opsgenie({ apiKey: OPSGENIE_KEY, baseUrl: OPSGENIE, webhookKey: 'whk-0123456789abcdef', sleep: async () => {} }),
  setup: () => server.listen({ onUnhandledFrame: 'error' }),
  teardown: () => server.close(),
  clock: () => new Date('2026-03-18T10:00:00Z'),
  webhooks: {
    signed: () => ({
      headers: { 'content-type': 'application/json', 'x-opsgenie-key': 'whk-0123456789abcdef', 'x-request-id': 'contract-1' },
      rawBody: Buffer.from(JSON.stringify({ action: 'Acknowledge', incident: { id: '69e4b1e7-7a1a-4d3c-9c1b-3b8b2f1d0a02' } })),
    }),
    badlySigned: () => ({
      headers: { 'content-type': 'application/json', 'x-opsgenie-key': 'whk-not-the-right-key', 'x-request-id': 'contract-2' },
      rawBody: Buffer.from(JSON.stringify({ action: 'Acknowledge', incident: { id: '69e4b1e7-7a1a-4d3c-9c1b-3b8b2f1d0a02' } })),
    }),
  },
  actions: [
    { type: 'opsgenie.alert.acknowledge', target: ALERT, invalid: { alert: 'x y' }, invalidField: 'params.alert' },
    { type: 'opsgenie.alert.close', target: ALERT, invalid: {}, invalidField: 'params.alert' },
    { type: 'opsgenie.alert.escalate', target: ALERT, invalid: { alert: ALERT, extra: 1 }, invalidField: 'params' },
    { type: 'opsgenie.alert.create', target: 'payments', invalid: { alert: '' }, invalidField: 'params.alert' },
  ],
});
