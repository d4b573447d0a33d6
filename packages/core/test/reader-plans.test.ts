import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { EXPIRED_REPORTS_PAGE } from '../src/features/reports/retention-part.js';
import { type Bundle, createTeamState } from '../src/index.js';
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
    expect(filters.length).toBeGreaterThanOrEqual(3);
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

  it("get one team by its id: its row, its members and its repositories, not every team's", async () => {
    const ts = await createTeamState({ database: ':memory:' });
    await ts.import(acmeBundle());
    const execute = vi.spyOn(ts.store, 'execute');
    const team = await ts.teams.get('payments');
    const calls = execute.mock.calls;
    execute.mockRestore();
    expect(team).toEqual((await ts.teams.list()).find(({ id }) => id === 'payments'));
    expect(await ts.teams.get('nobody')).toBeUndefined();
    const plans = await Promise.all(
      calls.map(async ([sql, args]) =>
        (await ts.store.execute(`EXPLAIN QUERY PLAN ${sql}`, args)).rows.map((row) => String(row.detail)).join('\n'),
      ),
    );
    expect(plans).toHaveLength(3);
    for (const plan of plans) expect(plan).toMatch(/\(workspace=\? AND (id|team_id)=\?\)/);
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

  it('retention reads expired reports day by day through the day index, never by walking the workspace', async () => {
    const archive = mkdtempSync(join(tmpdir(), 'teamstate-plans-'));
    const ts = await createTeamState({
      database: ':memory:',
      clock: () => new Date('2026-11-20T12:00:00Z'),
      retention: { archive },
    });
    try {
      await ts.import({
        format: 'teamstate.bundle/v1',
        people: [{ id: 'ana', name: 'Ana' }],
        reports: [
          { person: 'ana', day: '2024-01-02', text: 'Old' },
          { person: 'ana', day: '2024-01-03', text: 'Old too' },
          { person: 'ana', day: '2026-11-19', text: 'Kept' },
        ],
      } as unknown as Bundle);
      const execute = vi.spyOn(ts.store, 'execute');
      expect((await ts.retention.run()).counts.reports).toBe(2);
      const reads = execute.mock.calls.filter(([sql]) => /^SELECT .* FROM (reports|report_revisions)\b/.test(sql));
      execute.mockRestore();
      expect(reads.map(([sql]) => sql)).toContain(EXPIRED_REPORTS_PAGE);
      for (const [sql, args] of reads) {
        const plan = (await ts.store.execute(`EXPLAIN QUERY PLAN ${sql}`, args)).rows.map((row) => String(row.detail)).join('\n');
        expect(plan, sql).not.toMatch(/SCAN (reports|report_revisions)\b|sqlite_autoindex_reports_1\b/);
        if (sql === EXPIRED_REPORTS_PAGE) expect(plan).toContain('USING INDEX reports_day_idx (workspace=? AND day=?)');
      }
    } finally {
      await ts.close();
      rmSync(archive, { recursive: true, force: true });
    }
  });

  it("find a person's (or an assignee's) work items through the author and assignee indexes, never by walking the workspace's items", async () => {
    const ts = await createTeamState({ database: ':memory:' });
    await ts.import(acmeBundle());
    const execute = vi.spyOn(ts.store, 'execute');
    const byPerson = await ts.workItems.list({ person: 'ana', limit: 1 });
    const byAssignee = await ts.workItems.list({ assignee: 'ana' });
    const both = await ts.workItems.list({ person: 'ana', assignee: 'ana', kind: 'story' });
    const next = await ts.workItems.list({ person: 'ana', cursor: byPerson.nextCursor });
    const lists = execute.mock.calls.filter(([sql]) => /^SELECT [^;]* FROM \(SELECT/.test(sql));
    execute.mockRestore();
    expect(byPerson.items.map((item) => item.id)).toHaveLength(1);
    expect([...byPerson.items, ...next.items].map((item) => item.id).sort()).toEqual(['PAY-1', 'pr-1']);
    expect(byAssignee.items.map((item) => item.id)).toEqual(['pr-1', 'PAY-1']); // newest first
    expect(both.items.map((item) => item.id)).toEqual(['PAY-1']);
    expect(lists).toHaveLength(4);
    for (const [sql, args] of lists) {
      const plan = (await ts.store.execute(`EXPLAIN QUERY PLAN ${sql}`, args)).rows.map((row) => String(row.detail)).join('\n');
      expect(plan, sql).not.toMatch(/CORRELATED|SCAN w\b|work_items_created_idx|\(workspace=\?\)/);
      expect(plan, sql).toContain('work_item_assignees_person_idx (workspace=? AND person_id=?)');
      expect(plan, sql).toContain('SEARCH w USING INDEX sqlite_autoindex_work_items_1 (workspace=? AND id=?)');
    }
    await ts.close();
  });
});
