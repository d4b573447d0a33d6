import { connectorContract } from '@teamstate/core/testing';
import { createFakeJira, type FakeJira } from './jira/fake-jira.js';
import { testConnector as jiraConnector, NOW } from './jira/jira-test-setup.js';

// The Jira connector runs the conformance suite against the fake Jira site (recorded Cloud payloads behind msw),
// with pages of three issues so a sync is several batches.
let fake: FakeJira;

connectorContract({
  name: 'jira',
  create: () => jiraConnector(),
  setup: () => {
    fake = createFakeJira();
    fake.listen();
  },
  teardown: () => fake.close(),
  bundle: { teams: [{ id: 'payments', name: 'Payments' }] },
  clock: () => NOW,
  actions: [{ type: 'jira.issue.transition', target: 'PAY-1', invalid: { key: 'PAY-1' }, invalidField: 'params.to' }],
});
