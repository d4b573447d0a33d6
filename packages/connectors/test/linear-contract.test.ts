import { createHmac } from 'node:crypto';
import { connectorContract } from '@teamstate/core/testing';
import { createFakeLinear, type FakeLinear, fixture } from './linear/fake-linear.js';
import { testConnector as linearConnector, NOW, WEBHOOK_SECRET } from './linear/linear-test-setup.js';

// The Linear connector runs the conformance suite against the fake Linear API (fixtures in the public GraphQL shapes,
// every query validated against the schema), with pages of two issues so a sync is several batches.
let fake: FakeLinear;

const delivery = (secret: string) => {
  const rawBody = Buffer.from(JSON.stringify(fixture('webhook-issue-update.json')));
  const signature = createHmac('sha256', secret).update(rawBody).digest('hex');
  return { headers: { 'linear-signature': signature, 'linear-delivery': 'contract-1', 'linear-event': 'Issue' }, rawBody };
};

connectorContract({
  name: 'linear',
  create: () => linearConnector({ pageSize: 2 }),
  setup: () => {
    fake = createFakeLinear();
    fake.listen();
  },
  teardown: () => fake.close(),
  bundle: { teams: [{ id: 'payments', name: 'Payments' }] },
  clock: () => NOW,
  actions: [{ type: 'linear.issue.transition', target: 'PAY-1', invalid: { key: 'PAY-1' }, invalidField: 'params.to' }],
  webhooks: { signed: () => delivery(WEBHOOK_SECRET), badlySigned: () => delivery('not-the-secret') },
});
