import { slack } from '@teamstate/connectors/slack';
import { connectorContract } from '@teamstate/core/testing';
import { SLACK_API, useSlackMock } from './helpers/slack-mock.js';

// The Slack connector runs the conformance suite against the recorded Slack API (msw): among the rest, a crash in
// the middle of users.list paging resumes with nothing lost or duplicated.
useSlackMock();

connectorContract({
  name: 'slack',
  create: () => slack({ token: 'xoxb-test-token', apiUrl: SLACK_API, sleep: async () => {} }),
  bundle: { teams: [{ id: 'payments', name: 'Payments' }] },
  clock: () => new Date('2026-11-21T10:00:00Z'),
  actions: [{ type: 'slack.message.post', target: 'C0TEAM', invalid: { channel: 'C0TEAM' }, invalidField: 'params.text' }],
});
