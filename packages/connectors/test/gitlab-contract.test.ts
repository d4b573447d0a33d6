import { gitlab } from '@teamstate/connectors/gitlab';
import { connectorContract } from '@teamstate/core/testing';
import { setupServer } from 'msw/node';
import { FakeGitLab, fakeGitLabHandlers, GITLAB, GITLAB_TOKEN, gitlabFixture, gitlabWorld } from './gitlab/fake-gitlab.js';

// Two items a page, so every list is paged through X-Next-Page / Link as on a big instance.
const fake = new FakeGitLab(gitlabWorld(), { pageSize: 2, now: () => new Date('2026-03-18T10:00:00Z') });
const server = setupServer(...fakeGitLabHandlers(() => fake));
const SECRET = 'gl-webhook-secret';
const body = Buffer.from(JSON.stringify(gitlabFixture('webhook-merge-request.json')));
const request = (token: string) => ({
  headers: {
    'x-gitlab-token': token,
    'x-gitlab-event': 'Merge Request Hook',
    'x-gitlab-event-uuid': '4b4a5a61-61c7-4a0e-9a3a-7f2b0b3c2d11',
    'content-type': 'application/json',
  },
  rawBody: body,
});

connectorContract({
  name: 'gitlab',
  create: () =>
    gitlab({
      token: GITLAB_TOKEN,
      baseUrl: GITLAB,
      groups: ['acme'],
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
      type: 'gitlab.mr.comment',
      target: 'acme/checkout!2',
      invalid: { repository: 'acme/checkout', number: 2, body: '' },
      invalidField: 'params.body',
    },
    {
      type: 'gitlab.mr.label',
      target: 'acme/checkout!2',
      invalid: { repository: 'checkout', number: 2, add: ['x'] },
      invalidField: 'params.repository',
    },
    {
      type: 'gitlab.mr.merge',
      target: 'acme/checkout!2',
      invalid: { repository: 'acme/checkout', number: -2 },
      invalidField: 'params.number',
    },
  ],
});
