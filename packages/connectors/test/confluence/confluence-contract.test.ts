import { confluenceKnowledge } from '@teamstate/connectors/confluence';
import { knowledgeSourceContract } from '@teamstate/core/testing';
import { afterAll, beforeAll } from 'vitest';
import { API_TOKEN, CLOUD_SITE, createFakeConfluence, EMAIL, type FakeConfluence, mswConfluence } from './fake-confluence.js';

// The knowledge source conformance suite (issue 19) against the Confluence Cloud source, served by the fake Confluence
// through msw. `reset` swaps in a fresh fake behind the same server; `fail` makes every request answer 503.
let fake = createFakeConfluence('cloud');
let down = false;
const server = mswConfluence(
  {
    answer: (method, url, authorization) =>
      down ? { status: 503, body: { errors: [{ status: 503, title: 'Service Unavailable' }] } } : fake.answer(method, url, authorization),
  } as FakeConfluence,
  CLOUD_SITE,
);
beforeAll(() => server.listen({ onUnhandledFrame: 'error' }));
afterAll(() => server.close());

/** A page of the ENG space other than `not`. */
const engPage = (not?: string) => fake.pages.find((page) => page.spaceId === fake.spaces[0].id && page.id !== not)!.id as string;

knowledgeSourceContract({
  name: 'confluenceKnowledge',
  create: () =>
    confluenceKnowledge({
      host: CLOUD_SITE,
      email: EMAIL,
      apiToken: API_TOKEN,
      spaces: ['ENG'],
      requestsPerSecond: 0,
      sleep: async () => {},
    }),
  reset: () => {
    fake = createFakeConfluence('cloud');
    down = false;
  },
  change: () => fake.edit(engPage(), '<h2>Paging</h2><p>Changed: the secondary is paged after 5 minutes.</p>', '2026-03-12T09:00:00.000Z'),
  remove: () => fake.remove(engPage(engPage())),
  fail: () => {
    down = true;
  },
});
