import { HttpResponse, http } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeGitHub, fakeGitHubHandlers } from './github/fake-github.js';
import { fixture, NOW, openTeamState, testConnector, world } from './github/github-test-kit.js';

// GitHub issue dependencies (blocked by) and sub-issues (parent) of a project's issues become work item links, read
// in the project's own query: acme/api#104 is blocked by #103, which is blocked by #101, and #104 is a sub-issue of
// #101. In the second answer the dependency and the sub-issue of #104 were removed.
type Answer = Record<string, unknown>;
const answers = fixture<{ before: { page1: Answer; page2: Answer }; after: { page1: Answer; page2: Answer } }>(
  'project-items-dependencies.json',
);
let current = answers.before;
const fake = new FakeGitHub(world(), { now: () => NOW });
const server = setupServer(
  http.post('https://api.github.com/graphql', async ({ request }) => {
    const body = (await request.clone().json()) as { query: string; variables: { after: string | null } };
    if (!/query ProjectItems/.test(body.query)) return undefined;
    return HttpResponse.json(body.variables.after ? current.page2 : current.page1);
  }),
  ...fakeGitHubHandlers(() => fake, 'https://api.github.com'),
);
beforeAll(() => server.listen({ onUnhandledFrame: 'error' }));
afterAll(() => server.close());

const connector = () => testConnector({ repositories: ['acme/api'], teamOfRepository: { 'acme/api': 'payments' }, projects: ['acme/3'] });

describe('github connector: issue dependencies and sub-issues', () => {
  it("reports a blocked-by chain's root and depth, stores a sub-issue's parent, and drops links removed at GitHub", async () => {
    current = answers.before;
    const ts = await openTeamState([connector()]);
    expect((await ts.sync()).ok).toBe(true);
    const chain = await ts.workItems.dependencies('acme/api#104');
    expect(chain.blockedBy.map((e) => [e.key, e.depth])).toEqual([
      ['acme/api#103', 1],
      ['acme/api#101', 2],
    ]);
    expect(chain.roots).toEqual(['gh-issue-acme/api#101']);
    const links = (await ts.export()).workItemLinks ?? [];
    expect(links.filter((l) => l.kind === 'parent')).toEqual([
      { from: 'gh-issue-acme/api#101', to: 'gh-issue-acme/api#104', kind: 'parent' },
    ]);

    current = answers.after;
    expect((await ts.sync()).ok).toBe(true);
    expect((await ts.workItems.dependencies('acme/api#104')).blockedBy).toEqual([]);
    expect(((await ts.export()).workItemLinks ?? []).map((l) => [l.from, l.kind, l.to])).toEqual([
      ['gh-issue-acme/api#101', 'blocks', 'gh-issue-acme/api#103'],
    ]);
    await ts.close();
  });
});
