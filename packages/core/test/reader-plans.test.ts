import { describe, expect, it, vi } from 'vitest';
import { createTeamState } from '../src/index.js';
import { acmeBundle } from './fixtures/acme-bundle.js';

// A subquery that refers to the outer row (`workspace = w.workspace`) runs again for every candidate row:
// on a large workspace, `workItems.list({ person })` took minutes. Filters must be evaluated once.
describe('reader query plans', () => {
  it("filter with subqueries evaluated once, and load a page's children by their parent's id", async () => {
    const ts = await createTeamState({ database: ':memory:' });
    await ts.import(acmeBundle());
    const execute = vi.spyOn(ts.store, 'execute');

    const byPerson = await ts.workItems.list({ person: 'ana' });
    const byTeam = await ts.workItems.list({ team: 'payments', kind: 'pull_request' });
    const people = await ts.people.list({ team: 'payments' });
    const deployments = await ts.deployments.list({ team: 'payments' });
    const sprints = await ts.sprints.list({ team: 'payments' });
    expect(byPerson.items.map((item) => item.id).sort()).toEqual(['PAY-1', 'pr-1']);
    expect(byTeam.items.map((item) => item.id).sort()).toEqual(['pr-1', 'pr-2']);
    expect(people.map((person) => person.id).sort()).toEqual(['ana', 'ben']);
    expect(deployments.map((deployment) => deployment.id).sort()).toEqual(['dep-1', 'dep-2', 'dep-3']);
    expect(sprints.map((sprint) => sprint.id)).toEqual(['pay-s1']);

    const calls = execute.mock.calls;
    execute.mockRestore();
    const planOf = async ([sql, args]: (typeof calls)[number]) =>
      (await ts.store.execute(`EXPLAIN QUERY PLAN ${sql}`, args)).rows.map((row) => String(row.detail)).join('\n');
    const filters = calls.filter(([sql]) => /\bIN \(SELECT/.test(sql));
    expect(filters.length).toBeGreaterThanOrEqual(4);
    for (const call of filters) expect(await planOf(call), call[0]).not.toMatch(/CORRELATED/);
    // A page's children (assignees, reviews, transitions, memberships, accounts, deployed PRs) are looked up by
    // their parent's id, not found by walking the workspace.
    const children = calls.flatMap(([sql, args]) => {
      const key = /WHERE workspace = \? AND (\w+) IN \(\?/.exec(sql)?.[1];
      return key ? [{ key, call: [sql, args] as (typeof calls)[number] }] : [];
    });
    expect(children.map(({ call }) => /FROM (\w+)/.exec(call[0])![1])).toEqual(
      expect.arrayContaining([
        'work_item_assignees',
        'reviews',
        'transitions',
        'memberships',
        'accounts',
        'deployment_pull_requests',
        'sprint_committed_items',
      ]),
    );
    for (const { key, call } of children) expect(await planOf(call), call[0]).toContain(`(workspace=? AND ${key}=?`);
    await ts.close();
  });

  it('find one work item by id or by key through an index', async () => {
    const ts = await createTeamState({ database: ':memory:' });
    await ts.import(acmeBundle());
    const execute = vi.spyOn(ts.store, 'execute');
    expect((await ts.workItems.get('pr-1'))?.key).toBe('acme/payments-api#1');
    expect((await ts.workItems.get('acme/payments-api#1'))?.id).toBe('pr-1');
    expect(await ts.workItems.get('acme/payments-api#99')).toBeUndefined();
    const lookups = execute.mock.calls.filter(([sql]) => /^SELECT [^;]* FROM work_items WHERE\b/.test(sql));
    execute.mockRestore();
    expect(lookups.length).toBeGreaterThanOrEqual(3);
    for (const [sql, args] of lookups) {
      const plan = (await ts.store.execute(`EXPLAIN QUERY PLAN ${sql}`, args)).rows.map((row) => String(row.detail)).join('\n');
      expect(plan, sql).toMatch(/\(workspace=\? AND (id|key)=\?\)/);
    }
    await ts.close();
  });
});
