import { connectorContract } from '@teamstate/core/testing';
import { createFakeLinear, type FakeLinear } from './linear/fake-linear.js';
import { testConnector as linearConnector, NOW } from './linear/linear-test-setup.js';

// The Linear connector runs the conformance suite against the fake Linear API (fixtures in the public GraphQL shapes,
// every query validated against the schema), with pages of two issues so a sync is several batches.
let fake: FakeLinear;

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
});
