import { issuesCursor } from '@teamstate/connectors/jira';
import type { SyncProgress } from '@teamstate/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createFakeJira, type FakeJira, fixture, type Json, SITE } from './fake-jira.js';
import { openWorkspace, SECRET_TOKEN, syncOk, testConnector } from './jira-test-setup.js';

let fake: FakeJira;
beforeEach(() => {
  fake = createFakeJira();
  fake.listen();
});
afterEach(() => fake.close());

const item = async (ts: Awaited<ReturnType<typeof openWorkspace>>, key: string) => (await ts.workItems.get(key))!;

describe('jira sync', () => {
  it('serves the recorded search and changelog pages (the fake answers exactly like the fixtures)', async () => {
    const post = async (path: string, body: unknown): Promise<Json> =>
      (
        await fetch(`${SITE}${path}`, { method: 'POST', body: JSON.stringify(body), headers: { 'content-type': 'application/json' } })
      ).json();
    const fields = Object.keys(fixture('search-jql-page-1.json').issues[1].fields);
    let token: string | undefined;
    for (const page of [1, 2, 3]) {
      const answer = await post('/rest/api/3/search/jql', {
        jql: 'project in ("PAY") ORDER BY updated ASC',
        fields,
        expand: 'changelog',
        maxResults: 3,
        nextPageToken: token,
      });
      expect(answer).toEqual(fixture(`search-jql-page-${page}.json`));
      token = answer.nextPageToken;
    }
    const first = await post('/rest/api/3/changelog/bulkfetch', {
      issueIdsOrKeys: ['10003'],
      fieldIds: ['status', 'customfield_10020'],
      maxResults: 1000,
    });
    expect(first).toEqual(fixture('changelog-bulkfetch-page-1.json'));
    expect(
      await post('/rest/api/3/changelog/bulkfetch', {
        issueIdsOrKeys: ['10003'],
        fieldIds: ['status', 'customfield_10020'],
        nextPageToken: first.nextPageToken,
      }),
    ).toEqual(fixture('changelog-bulkfetch-page-2.json'));
  });

  it('stores issues with complete status history, story points, sprints, epics, due dates, flags and people', async () => {
    const ts = await openWorkspace(testConnector());
    const progress: SyncProgress[] = [];
    await syncOk(ts, progress);

    const pay2 = await item(ts, 'PAY-2');
    expect(pay2).toEqual({
      id: 'jira-10002',
      source: 'jira',
      kind: 'story',
      key: 'PAY-2',
      title: 'Card form validates expiry date',
      state: 'Done',
      statusCategory: 'done',
      team: 'payments',
      author: 'ben-okafor',
      assignees: ['ana-garcia'],
      createdAt: '2026-02-25T08:30:00.000Z',
      updatedAt: '2026-03-06T15:00:00.000Z',
      resolvedAt: '2026-03-06T15:00:00.000Z',
      labels: ['checkout'],
      components: ['Checkout web'],
      storyPoints: 5,
      sprint: 'jira-sprint-1',
      flagged: false,
      parent: 'PAY-1',
      url: 'https://acme.atlassian.net/browse/PAY-2',
      body: 'As a shopper I see an error when my card has expired.',
      transitions: [
        { at: '2026-03-03T09:15:00.000Z', from: 'To Do', to: 'In Progress', fromCategory: 'todo', toCategory: 'in_progress' },
        { at: '2026-03-05T16:40:00.000Z', from: 'In Progress', to: 'In Review', fromCategory: 'in_progress', toCategory: 'in_progress' },
        { at: '2026-03-06T15:00:00.000Z', from: 'In Review', to: 'Done', fromCategory: 'in_progress', toCategory: 'done' },
      ],
    });
    // PAY-3's embedded changelog was cut (45 histories, 2 shown): its history came from two bulk pages.
    expect((await item(ts, 'PAY-3')).transitions).toEqual([
      { at: '2026-03-04T10:00:00.000Z', from: 'To Do', to: 'In Progress', fromCategory: 'todo', toCategory: 'in_progress' },
      { at: '2026-03-18T11:00:00.000Z', from: 'In Progress', to: 'In Review', fromCategory: 'in_progress', toCategory: 'in_progress' },
      { at: '2026-03-19T09:30:00.000Z', from: 'In Review', to: 'In Progress', fromCategory: 'in_progress', toCategory: 'in_progress' },
    ]);
    const bulk = fake.received.filter((r) => r.path === '/rest/api/3/changelog/bulkfetch');
    expect(bulk.map((r) => r.body)).toEqual([
      { issueIdsOrKeys: ['10003'], fieldIds: ['status', 'customfield_10020'], maxResults: 1000 },
      { issueIdsOrKeys: ['10003'], fieldIds: ['status', 'customfield_10020'], maxResults: 1000, nextPageToken: 'eyJvIjozfQ' },
    ]);
    expect(await item(ts, 'PAY-4')).toMatchObject({
      state: 'Blocked',
      statusCategory: 'in_progress',
      flagged: true,
      storyPoints: 2, // the company-managed "Story Points" field: both story point fields are read
      dueAt: '2026-03-25T23:59:59.999Z',
      sprint: 'jira-sprint-2',
      assignees: ['dana-novak'],
    });
    const pay5 = await item(ts, 'PAY-5');
    expect(pay5.author).toBeUndefined(); // reported by an automation app: not a person
    expect(pay5).toMatchObject({ kind: 'task', sprint: 'jira-sprint-3' });
    // Empty lists read back as absent.
    expect([pay5.storyPoints, pay5.assignees, pay5.transitions]).toEqual([undefined, undefined, undefined]);
    expect(await item(ts, 'PAY-6')).toMatchObject({ state: 'Done', resolvedAt: '2026-03-12T17:00:00.000Z' }); // no resolution set: the move to Done counts
    expect((await item(ts, 'PAY-7')).sprint).toBeUndefined(); // taken out of its sprint
    expect(await item(ts, 'PAY-1')).toMatchObject({
      kind: 'epic',
      state: 'In Progress',
      body: 'Rebuild the checkout flow on the new card processor.',
    });

    expect(await ts.sprints.list()).toEqual([
      {
        id: 'jira-sprint-3',
        name: 'PAY Sprint 3',
        team: 'payments',
        state: 'future',
        startAt: '2026-03-30T11:00:00.000Z',
        endAt: '2026-04-13T09:00:00.000Z',
        committedItems: [],
      },
      // PAY-4 was created into the running sprint (added scope); PAY-7 was in it at the start and was removed later.
      {
        id: 'jira-sprint-2',
        name: 'PAY Sprint 2',
        team: 'payments',
        state: 'active',
        startAt: '2026-03-16T11:00:00.000Z',
        endAt: '2026-03-30T09:00:00.000Z',
        committedItems: ['jira-10003', 'jira-10007'],
      },
      // PAY-6 joined after the start: added, not committed.
      {
        id: 'jira-sprint-1',
        name: 'PAY Sprint 1',
        team: 'payments',
        state: 'closed',
        startAt: '2026-03-02T09:00:00.000Z',
        endAt: '2026-03-16T09:00:00.000Z',
        completedAt: '2026-03-16T10:00:00.000Z',
        committedItems: ['jira-10002', 'jira-10003'],
      },
    ]);

    // Users became people (bots excluded); the assignable users who are on no issue too.
    expect((await ts.people.list()).map((p) => [p.id, p.email ?? null, p.accounts!.map((a) => `${a.provider}:${a.login}`)])).toEqual([
      ['ana-garcia', 'ana@acme.example', ['jira:Ana Garcia']],
      ['ben-okafor', null, ['jira:Ben Okafor']],
      ['chen-wei', 'chen@acme.example', ['jira:Chen Wei']],
      ['dana-novak', 'dana@acme.example', ['jira:Dana Novak']],
    ]);

    expect(fake.count('search')).toBe(3);
    expect(fake.count('bulkfetch')).toBe(2);
    expect(fake.count('sprints')).toBe(2); // the kanban board was not asked for sprints
    expect(progress.map((p) => p.phase).filter((p, i, all) => p && all.indexOf(p) === i)).toEqual([
      'projects',
      'fields and statuses',
      'users',
      'boards and sprints',
      'issues',
      'sprint scope',
      'done',
    ]);
    expect(progress.find((p) => p.phase === 'issues')?.total).toBe(7);
    const cursor = await ts.store.execute("SELECT value FROM sync_cursors WHERE connector = 'jira' AND key = ?", [issuesCursor('PAY')]);
    expect(Number(cursor.rows[0]!.value)).toBe(Date.parse('2026-03-23T10:00:00Z'));
    // Every request carried the credentials; none of them is in the store.
    expect(JSON.stringify(await ts.export())).not.toContain(SECRET_TOKEN);
    await ts.close();
  });

  it('a second sync changes nothing', async () => {
    const ts = await openWorkspace(testConnector());
    await syncOk(ts);
    const first = await ts.export();
    await syncOk(ts);
    expect(await ts.export()).toEqual(first);
    await ts.close();
  });
});
