import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTeamState } from '@teamstate/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createFakeJira, type FakeJira } from './fake-jira.js';
import { NOW, openWorkspace, syncOk, testConnector } from './jira-test-setup.js';

let fake: FakeJira;
beforeEach(() => {
  fake = createFakeJira();
  fake.listen();
});
afterEach(() => fake.close());

const searches = () => fake.received.filter((r) => r.path === '/rest/api/3/search/jql').map((r) => r.body.jql as string);

describe('jira incremental sync', () => {
  it('asks only for issues updated since the cursor minus the overlap window, and catches late-indexed updates inside it', async () => {
    const ts = await openWorkspace(testConnector({ overlapMinutes: 5 }));
    await syncOk(ts);
    expect(searches()[0]).toBe('project in ("PAY") ORDER BY updated ASC');

    // A new move, and an update stamped 3 minutes before the last cursor that the index showed only now.
    fake.move('PAY-4', 'In Progress', '2026-03-24T09:00:00.000+0000');
    fake.edit('PAY-1', { summary: 'Checkout revamp (phase 1)' }, '2026-03-23T09:57:00.000+0000');
    fake.received.length = 0;
    await syncOk(ts);
    const cursor = Date.parse('2026-03-23T10:00:00Z') - 5 * 60_000;
    expect(searches()[0]).toBe(`project in ("PAY") AND updated >= ${cursor} ORDER BY updated ASC`);
    expect((await ts.workItems.get('PAY-1'))!.title).toBe('Checkout revamp (phase 1)');
    const pay4 = (await ts.workItems.get('PAY-4'))!;
    expect(pay4).toMatchObject({ state: 'In Progress', flagged: true, updatedAt: '2026-03-24T09:00:00.000Z' });
    expect(pay4.transitions!.at(-1)).toEqual({
      at: '2026-03-24T09:00:00.000Z',
      from: 'Blocked',
      to: 'In Progress',
      fromCategory: 'in_progress',
      toCategory: 'in_progress',
    });
    // Three issues in the window (PAY-1, PAY-7 at the cursor, PAY-4): one page, nothing else re-read.
    expect(fake.received.filter((r) => r.path === '/rest/api/3/search/jql')).toHaveLength(1);
    const page = await fetch('https://acme.atlassian.net/rest/api/3/search/jql', {
      method: 'POST',
      body: JSON.stringify({ jql: searches()[0], fields: ['summary'], maxResults: 50 }),
    });
    expect(((await page.json()) as { issues: { key: string }[] }).issues.map((i) => i.key)).toEqual(['PAY-1', 'PAY-7', 'PAY-4']);
    expect(fake.received.some((r) => r.path === '/rest/api/3/changelog/bulkfetch')).toBe(false);
    await ts.close();
  });

  it('reads a project added to the config later in full, while the others stay incremental', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'teamstate-jira-projects-'));
    const database = `file:${join(dir, 'team.db')}`;
    try {
      const first = await openWorkspace(testConnector(), { database });
      await syncOk(first);
      await first.close();
      const ops = fake.addProject('OPS', '10100', 'Operations');
      fake.add('PAY-5', '20001', 'OPS-1', {
        project: ops,
        summary: 'Runbook for refunds',
        updated: '2026-01-10T10:00:00.000+0000',
        customfield_10020: null,
      });
      fake.received.length = 0;
      const both = await createTeamState({ database, connectors: [testConnector({ projects: ['PAY', 'OPS'] })], clock: () => NOW });
      await syncOk(both);
      expect(searches()[0]).toBe(
        `(project in ("OPS")) OR (project in ("PAY") AND updated >= ${Date.parse('2026-03-23T09:55:00Z')}) ORDER BY updated ASC`,
      );
      expect(await both.workItems.get('OPS-1')).toMatchObject({ team: 'jira-ops', title: 'Runbook for refunds' });
      expect(await both.teams.get('jira-ops')).toMatchObject({ name: 'Operations' });
      const cursors = await both.store.execute("SELECT key, value FROM sync_cursors WHERE key LIKE 'issues:%' ORDER BY key");
      expect(cursors.rows.map((r) => [r.key, Number(r.value)])).toEqual([
        ['issues:OPS:updated', Date.parse('2026-01-10T10:00:00Z')],
        ['issues:PAY:updated', Date.parse('2026-03-23T10:00:00Z')],
      ]);
      await both.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('records the committed scope of a sprint that started between two syncs, from issues the second sync did not fetch', async () => {
    let now = NOW;
    const ts = await openWorkspace(testConnector(), { clock: () => now });
    await syncOk(ts);
    expect((await ts.sprints.get('jira-sprint-3'))!.committedItems).toEqual([]);

    // Sprint 3 starts; PAY-5 (in it since 21 March, not updated since) is committed scope, PAY-8 created into it later is not.
    Object.assign(fake.sprints[2], { state: 'active', startDate: '2026-03-24T08:00:00.000Z' });
    const sprint3 = fake.issue('PAY-5').issue.fields.customfield_10020;
    fake.add('PAY-5', '10008', 'PAY-8', {
      summary: 'Alert on refund failures',
      created: '2026-03-24T10:00:00.000+0000',
      updated: '2026-03-24T10:00:00.000+0000',
      customfield_10020: sprint3,
    });
    // The next sync runs 20 minutes later: sprints (kept for 15 minutes) are read again.
    now = new Date(NOW.getTime() + 20 * 60_000);
    fake.received.length = 0;
    await syncOk(ts);
    expect(searches()).toEqual([
      `project in ("PAY") AND updated >= ${Date.parse('2026-03-23T09:55:00Z')} ORDER BY updated ASC`,
      'project in ("PAY") AND sprint = 3',
    ]);
    expect(await ts.sprints.get('jira-sprint-3')).toMatchObject({ state: 'active', committedItems: ['jira-10005'] });
    expect((await ts.workItems.get('PAY-8'))!.sprint).toBe('jira-sprint-3');
    // Other sprints kept their scope; a third sync looks nothing up again.
    expect((await ts.sprints.get('jira-sprint-1'))!.committedItems).toEqual(['jira-10002', 'jira-10003']);
    fake.received.length = 0;
    await syncOk(ts);
    expect(searches().filter((jql) => jql.includes('sprint ='))).toEqual([]);
    await ts.close();
  });

  it('an unchanged re-sync of two projects is one search request; metadata and sprints are read again when due', async () => {
    fake.addProject('OPS', '10100', 'Operations');
    let now = NOW;
    const ts = await openWorkspace(testConnector({ projects: ['PAY', 'OPS'] }), { clock: () => now });
    await syncOk(ts);
    const first = await ts.export();
    const paths = () => fake.received.map((r) => r.path.replace(/board\/\d+/, 'board/{id}').replace(/\/(PAY|OPS)$/, '/{key}'));

    fake.received.length = 0;
    await syncOk(ts);
    expect(paths()).toEqual(['/rest/api/3/search/jql']);
    expect(await ts.export()).toEqual(first);

    // 20 minutes on: sprints are read again (boards, then each board's sprints); the site's metadata is not.
    now = new Date(NOW.getTime() + 20 * 60_000);
    fake.received.length = 0;
    await syncOk(ts);
    expect(paths().filter((path) => path.startsWith('/rest/agile/'))).not.toEqual([]);
    expect(paths().filter((path) => path.startsWith('/rest/api/3/') && path !== '/rest/api/3/search/jql')).toEqual([]);

    // A day on: projects, fields, statuses and users too.
    now = new Date(NOW.getTime() + 25 * 3_600_000);
    fake.received.length = 0;
    await syncOk(ts);
    expect(new Set(paths())).toEqual(
      new Set([
        '/rest/api/3/project/{key}',
        '/rest/api/3/field',
        '/rest/api/3/status',
        '/rest/api/3/user/assignable/multiProjectSearch',
        '/rest/agile/1.0/board',
        '/rest/agile/1.0/board/{id}/sprint',
        '/rest/api/3/search/jql',
      ]),
    );
    expect(await ts.export()).toEqual(first);
    await ts.close();
  });

  it('finds the story points field by name on each site, or as configured', async () => {
    fake.close();
    fake = createFakeJira({ fieldsFixture: 'fields-site-b.json' });
    fake.listen();
    // Site B calls its field "Story Points" (customfield_10042); give PAY-2 a value there.
    fake.edit('PAY-2', { customfield_10042: 8 }, '2026-03-06T15:00:00.000+0000');
    const ts = await openWorkspace(testConnector());
    await syncOk(ts);
    expect((await ts.workItems.get('PAY-2'))!.storyPoints).toBe(8);
    expect(fake.received.find((r) => r.path === '/rest/api/3/search/jql')!.body.fields).toContain('customfield_10042');
    await ts.close();

    const configured = await openWorkspace(testConnector({ storyPointsField: 'Team estimate' }));
    fake.edit('PAY-2', { customfield_10033: 13 }, '2026-03-06T15:00:00.000+0000');
    await syncOk(configured);
    expect((await configured.workItems.get('PAY-2'))!.storyPoints).toBe(13);
    await configured.close();

    const wrong = await openWorkspace(testConnector({ storyPointsField: 'Effort' }));
    const result = await wrong.sync();
    expect(result.connectors[0]!.error!.message).toBe(
      'jira.storyPointsField: this site has no field "Effort" (number fields: Team estimate (customfield_10033), Story Points (customfield_10042))',
    );
    await wrong.close();
  });
});
