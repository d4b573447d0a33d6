import { createHmac } from 'node:crypto';
import { bitbucket } from '@teamstate/connectors/bitbucket';
import { connectorContract } from '@teamstate/core/testing';
import { setupServer } from 'msw/node';
import {
  BITBUCKET,
  BITBUCKET_TOKEN,
  bitbucketFixture,
  bitbucketWorld,
  FakeBitbucket,
  fakeBitbucketHandlers,
} from './bitbucket/fake-bitbucket.js';

const fake = new FakeBitbucket(bitbucketWorld(), { now: () => new Date('2026-03-18T10:00:00Z') });
const server = setupServer(...fakeBitbucketHandlers(() => fake));
const SECRET = 'bb-webhook-secret';
const body = Buffer.from(JSON.stringify(bitbucketFixture('webhook-pullrequest-approved.json')));
const request = (secret: string) => ({
  headers: {
    'x-hub-signature': `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`,
    'x-event-key': 'pullrequest:approved',
    'x-request-uuid': '0b7e4c1a-9d2f-4e55-8a61-3c2b1d0e9f77',
    'content-type': 'application/json',
  },
  rawBody: body,
});

connectorContract({
  name: 'bitbucket',
  create: () =>
    bitbucket({
      token: BITBUCKET_TOKEN,
      baseUrl: BITBUCKET,
      workspace: 'acme',
      repositoryTeams: { 'acme/checkout': 'shop' },
      webhookSecret: SECRET,
      sleep: async () => {},
    }),
  setup: () => server.listen({ onUnhandledFrame: 'error' }),
  teardown: () => server.close(),
  bundle: { teams: [{ id: 'shop', name: 'Shop' }] },
  webhooks: { signed: () => request(SECRET), badlySigned: () => request('not-the-secret') },
  actions: [
    {
      type: 'bitbucket.pr.comment',
      target: 'acme/checkout#3',
      invalid: { repository: 'acme/checkout', number: 3, body: '' },
      invalidField: 'params.body',
    },
    {
      type: 'bitbucket.pr.approve',
      target: 'acme/checkout#3',
      invalid: { repository: 'checkout', number: 3 },
      invalidField: 'params.repository',
    },
    {
      type: 'bitbucket.pr.merge',
      target: 'acme/checkout#3',
      invalid: { repository: 'acme/checkout', number: -3 },
      invalidField: 'params.number',
    },
  ],
});
