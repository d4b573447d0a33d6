import { circleci } from '@teamstate/connectors/circleci';
import { connectorContract } from '@teamstate/core/testing';
import { setupServer } from 'msw/node';
import { CIRCLECI, CIRCLECI_TOKEN, circleciWorld, FakeCircleCi, fakeCircleCiHandlers } from './circleci/fake-circleci.js';

const fake = new FakeCircleCi(circleciWorld('gh/acme/api', 8).projects);
const server = setupServer(...fakeCircleCiHandlers(() => fake));

connectorContract({
  name: 'circleci',
  create: () => circleci({ token: CIRCLECI_TOKEN, baseUrl: CIRCLECI, projects: ['gh/acme/api'], sleep: async () => {} }),
  setup: () => server.listen({ onUnhandledFrame: 'error' }),
  teardown: () => server.close(),
  clock: () => new Date('2026-04-02T00:00:00Z'),
});
