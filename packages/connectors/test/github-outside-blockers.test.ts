import { itemBlockedByDependency } from '@teamstate/metrics';
import { HttpResponse, http } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeGitHub, fakeGitHubHandlers } from './github/fake-github.js';
import { fixture, NOW, openTeamState, testConnector, world } from './github/github-test-kit.js';

// A project issue blocked by issues outside the synced projects: acme/api#201 (in project acme/3) is blocked by
// acme/web#50, itself blocked by acme/ops#7, and by acme/api#999 (deleted) and acme/secret#3 (a repository the token
// cannot read). The outside issues are read after the project's pages, 100 a query by alias, as GitHub answers them.
type Issue = Record<string, unknown>;
const data = fixture<{ project: Record<string, unknown>; issues: Record<string, Issue> }>('project-items-outside.json');
const operations: string[] = [];
const asked: string[][] = [];

/** GitHub's answer to an aliased `repository(owner, name) { issue(number) }` query: null and a NOT_FOUND error for each miss. */
function outsideAnswer(variables: Record<string, string | number>) {
  const answer: Record<string, { issue: Issue | null } | null> = {};
  const errors: { type: string; path: (string | number)[]; locations: { line: number; column: number }[]; message: string }[] = [];
  const names: string[] = [];
  for (let n = 0; `o${n}` in variables; n++) {
    const repository = `${variables[`o${n}`]}/${variables[`n${n}`]}`;
    const number = Number(variables[`x${n}`]);
    names.push(`${repository}#${number}`);
    const issue = data.issues[`${repository}#${number}`];
    if (repository === 'acme/secret') {
      answer[`i${n}`] = null;
      errors.push({
        type: 'NOT_FOUND',
        path: [`i${n}`],
        locations: [{ line: 2, column: 3 }],
        message: `Could not resolve to a Repository with the name '${repository}'.`,
      });
    } else if (!issue) {
      answer[`i${n}`] = { issue: null };
      errors.push({
        type: 'NOT_FOUND',
        path: [`i${n}`, 'issue'],
        locations: [{ line: 2, column: 50 }],
        message: `Could not resolve to an Issue with the number of ${number}.`,
      });
    } else answer[`i${n}`] = { issue };
  }
  asked.push(names.sort());
  return { data: answer, errors };
}

const fake = new FakeGitHub(world(), { now: () => NOW });
const server = setupServer(
  http.post('https://api.github.com/graphql', async ({ request }) => {
    const body = (await request.clone().json()) as { query: string; variables: Record<string, string | number> };
    const name = /^\s*query\s+(\w+)/.exec(body.query)?.[1] ?? '';
    if (name === 'ProjectItems') {
      operations.push(name);
      return HttpResponse.json(data.project);
    }
    if (name === 'OutsideIssues') {
      operations.push(name);
      return HttpResponse.json(outsideAnswer(body.variables));
    }
    return undefined;
  }),
  ...fakeGitHubHandlers(() => fake, 'https://api.github.com'),
);
beforeAll(() => server.listen({ onUnhandledFrame: 'error' }));
afterAll(() => server.close());

const connector = () =>
  testConnector({
    repositories: ['acme/api'],
    teamOfRepository: { 'acme/api': 'payments', 'acme/web': 'web' },
    projects: ['acme/3'],
  });

describe('github connector: blockers outside the synced projects', () => {
  it('stores outside blockers with their own blockers, reports the chain and its root, and skips what GitHub cannot find', async () => {
    const ts = await openTeamState([connector()], { signals: [itemBlockedByDependency] });
    const result = await ts.sync();
    expect(result.ok).toBe(true);
    expect(operations).toEqual(['ProjectItems', 'OutsideIssues', 'OutsideIssues']);
    expect(asked).toEqual([['acme/api#999', 'acme/secret#3', 'acme/web#50'], ['acme/ops#7']]);

    const chain = await ts.workItems.dependencies('acme/api#201');
    expect(chain.blockedBy.map((e) => [e.key, e.depth, e.status])).toEqual([
      ['acme/web#50', 1, 'Open'],
      ['acme/ops#7', 2, 'Open'],
    ]);
    expect(chain.roots).toEqual(['gh-issue-acme/ops#7']);
    const people = (await ts.export()).people ?? [];
    const ben = people.find((p) => p.name === 'Ben Okafor');
    expect(ben).toBeDefined();
    expect(chain.blockedBy.find((e) => e.key === 'acme/ops#7')?.owner).toBe(ben?.id);
    await ts.signals.refresh();
    const signal = (await ts.signals.list()).find((s) => s.subject.id === 'gh-issue-acme/api#201');
    expect(signal?.evidence).toMatchObject({ root: { id: 'gh-issue-acme/ops#7', owner: ben?.id, depth: 2 } });

    const items = (await ts.export()).workItems.filter((w) => w.key === 'acme/web#50' || w.key === 'acme/ops#7');
    expect(items.map((w) => [w.key, w.kind, w.state, w.statusCategory, w.team ?? null, w.repository, w.url]).sort()).toEqual([
      ['acme/ops#7', 'issue', 'Open', 'todo', null, 'acme/ops', 'https://github.com/acme/ops/issues/7'],
      ['acme/web#50', 'issue', 'Open', 'todo', 'web', 'acme/web', 'https://github.com/acme/web/issues/50'],
    ]);
    expect(((await ts.export()).workItemLinks ?? []).map((l) => `${l.from} ${l.kind} ${l.to}`).sort()).toEqual([
      'gh-issue-acme/ops#7 blocks gh-issue-acme/web#50',
      'gh-issue-acme/web#50 blocks gh-issue-acme/api#201',
    ]);

    // An unchanged re-sync reads the project only: stored blockers and those GitHub could not find cost nothing.
    operations.length = 0;
    expect((await ts.sync()).ok).toBe(true);
    expect(operations).toEqual(['ProjectItems']);
    expect((await ts.workItems.dependencies('acme/api#201')).roots).toEqual(['gh-issue-acme/ops#7']);

    // acme/web#50 is closed: the project's answer names it with a new updatedAt, so it alone is read again.
    const closedAt = '2026-03-17T16:00:00Z';
    Object.assign(data.issues['acme/web#50']!, { state: 'CLOSED', closedAt, updatedAt: closedAt });
    const blockers = JSON.stringify(data.project).replace('"updatedAt":"2026-03-15T08:30:00Z"', `"updatedAt":"${closedAt}"`);
    data.project = JSON.parse(blockers) as Record<string, unknown>;
    operations.length = 0;
    asked.length = 0;
    expect((await ts.sync()).ok).toBe(true);
    expect(operations).toEqual(['ProjectItems', 'OutsideIssues']);
    expect(asked).toEqual([['acme/web#50']]);
    const after = await ts.workItems.dependencies('acme/api#201');
    expect(after.blockedBy.map((e) => [e.key, e.depth, e.status])).toEqual([
      ['acme/web#50', 1, 'Closed'],
      ['acme/ops#7', 2, 'Open'],
    ]);
    await ts.close();
  });
});
