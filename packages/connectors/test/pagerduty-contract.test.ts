import { createHmac } from 'node:crypto';
import { pagerduty } from '@teamstate/connectors/pagerduty';
import { connectorContract } from '@teamstate/core/testing';
import { createFakePagerDuty, fixture } from './pagerduty/fake-pagerduty.js';

const fake = createFakePagerDuty();
const SECRET = 'pd-webhook-secret';
const body = Buffer.from(JSON.stringify(fixture('webhook-incident-acknowledged.json')));
const sign = (secret: string) => `v1=${createHmac('sha256', secret).update(body).digest('hex')}`;

connectorContract({
  name: 'pagerduty',
  create: () =>
    pagerduty({
      token: 'pd-test-token',
      baseUrl: fake.url,
      serviceTeams: { PCHKOUT: 'shop' },
      serviceRepositories: { PCHKOUT: 'acme/checkout' },
      webhookSecret: SECRET,
      from: 'oncall-bot@acme.example',
      sleep: async () => {},
    }),
  setup: () => fake.listen(),
  teardown: () => fake.close(),
  bundle: { teams: [{ id: 'shop', name: 'Shop' }], repositories: [{ id: 'acme/checkout', team: 'shop' }] },
  webhooks: {
    signed: () => ({
      headers: { 'x-pagerduty-signature': `v1=${'0'.repeat(64)},${sign(SECRET)}`, 'content-type': 'application/json' },
      rawBody: body,
    }),
    badlySigned: () => ({
      headers: { 'x-pagerduty-signature': sign('another-secret'), 'content-type': 'application/json' },
      rawBody: body,
    }),
  },
  actions: [
    {
      type: 'pagerduty.incident.acknowledge',
      target: 'pd-Q2CHKQ7R8S9T0U',
      invalid: { incident: 'not an id' },
      invalidField: 'params.incident',
    },
    { type: 'pagerduty.incident.page', target: 'PCHKOUT', invalid: { service: 'PCHKOUT', title: '' }, invalidField: 'params.title' },
  ],
});
