import { connectorRegistry } from '@teamstate/connectors/registry';
import { sprintHealth } from '@teamstate/metrics';
import { HttpResponse, http } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeGitHub, fakeGitHubHandlers } from './github/fake-github.js';
import { fixture, NOW, openTeamState, testConnector, world } from './github/github-test-kit.js';

// GitHub Projects through the GitHub connector: a project's items that are issues become work items with the
// project's Status, Sprint (an iteration field) and Story Points, found by name whatever their case.
const pages = fixture<{ page1: Record<string, unknown>; page2: Record<string, unknown> }>('project-items.json');
const queries: { org: unknown; number: unknown; after: unknown }[] = [];
const fake = new FakeGitHub(world(), { now: () => NOW });
const server = setupServer(
  http.post('https://api.github.com/graphql', async ({ request }) => {
    const body = (await request.clone().json()) as { query: string; variables: { org: string; number: number; after: string | null } };
    if (!/query ProjectItems/.test(body.query)) return undefined;
    queries.push({ org: body.variables.org, number: body.variables.number, after: body.variables.after });
    return HttpResponse.json(body.variables.after ? pages.page2 : pages.page1);
  }),
  ...fakeGitHubHandlers(() => fake, 'https://api.github.com'),
);
beforeAll(() => server.listen({ onUnhandledFrame: 'error' }));
afterAll(() => server.close());

describe('github connector: projects', () => {
  it('stores the issues of a project with status category, sprint and points equal to the planted values', async () => {
    const ts = await openTeamState([
      testConnector({ repositories: ['acme/api'], teamOfRepository: { 'acme/api': 'payments' }, projects: ['acme/3'] }),
    ]);
    expect((await ts.sync()).ok).toBe(true);
    expect(queries).toEqual([
      { org: 'acme', number: 3, after: null },
      { org: 'acme', number: 3, after: 'Y3Vyc29yOnYyOpHOAAE' },
    ]);
    const items = (await ts.export()).workItems.filter((w) => w.kind === 'issue');
    const view = items
      .map((w) => [w.key, w.state, w.statusCategory, w.sprint ?? null, w.storyPoints ?? null, w.team ?? null])
      .sort((a, b) => String(a[0]).localeCompare(String(b[0])));
    expect(view).toEqual([
      ['acme/api#101', 'In Progress', 'in_progress', 'acme/3-a1b2c3d4', 5, 'payments'],
      ['acme/api#102', 'Done', 'done', 'acme/3-f0e1d2c3', 3, 'payments'],
      ['acme/api#103', 'Todo', 'todo', 'acme/3-a1b2c3d4', 8, 'payments'],
      ['acme/api#104', 'In Review', 'in_progress', 'acme/3-a1b2c3d4', 2, 'payments'],
    ]);
    const sprint = await ts.sprints.get('acme/3-a1b2c3d4');
    expect(sprint).toMatchObject({
      name: 'Sprint 12',
      team: 'payments',
      state: 'active',
      startAt: '2026-03-09T00:00:00.000Z',
      endAt: '2026-03-23T00:00:00.000Z',
    });
    expect(await ts.sprints.get('acme/3-f0e1d2c3')).toMatchObject({ state: 'closed' });
    const health = await sprintHealth(ts, { team: 'payments' });
    expect(JSON.stringify(health)).toContain('acme/3-a1b2c3d4');
    await ts.close();
  });

  it('names a malformed project in config check', () => {
    const checked = connectorRegistry.github.configSchema.safeParse({ token: 't', repositories: ['acme/api'], projects: ['acme'] });
    expect(checked.success).toBe(false);
    expect(JSON.stringify(checked.error?.issues)).toContain('expected a project as <org>/<number>');
  });
});
