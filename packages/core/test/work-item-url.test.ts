// A GitHub pull request's address is its key's (`owner/repo#12` → https://github.com/owner/repo/pull/12): the row
// stores it as '' rather than again, and every reader gives it back as imported. Any other address is stored whole;
// an item without one has none.
import { createTeamState, type TeamState } from '@teamstate/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { urlColumn } from '../src/records/store/work-item-url.js';

const pr = (id: string, key: string, url?: string) => ({
  id,
  source: 'github',
  kind: 'pull_request',
  key,
  title: `PR ${id}`,
  state: 'open',
  repository: 'acme/api',
  createdAt: '2026-03-01T10:00:00Z',
  ...(url === undefined ? {} : { url }),
});

const ITEMS = [
  pr('own', 'acme/api#12', 'https://github.com/acme/api/pull/12'),
  // GitHub Enterprise, another number, and an address on another path: stored whole.
  pr('enterprise', 'acme/api#13', 'https://github.acme.example/acme/api/pull/13'),
  pr('other-number', 'acme/api#14', 'https://github.com/acme/api/pull/15'),
  pr('issue-path', 'acme/api#16', 'https://github.com/acme/api/issues/16'),
  pr('none', 'acme/api#17'),
  // A key with no number: its address is still its own when it is what the key gives.
  pr('odd-key', 'acme/api#x', 'https://github.com/acme/api/pull/x'),
  {
    id: 'jira-API-1',
    source: 'jira',
    kind: 'story',
    key: 'API-1',
    title: 'A story',
    state: 'To Do',
    statusCategory: 'todo',
    createdAt: '2026-03-01T10:00:00Z',
    url: 'https://acme.atlassian.net/browse/API-1',
  },
];

let ts: TeamState;
beforeAll(async () => {
  ts = await createTeamState({ database: ':memory:', clock: () => new Date('2026-03-20T00:00:00Z') });
  await ts.import({
    format: 'teamstate.bundle/v1',
    teams: [{ id: 'core', name: 'Core' }],
    repositories: [{ id: 'acme/api', team: 'core' }],
    workItems: ITEMS,
  });
});
afterAll(() => ts.close());

const given = (id: string) => (ITEMS.find((item) => item.id === id) as { url?: string }).url;

describe("a work item's address", () => {
  it("stores a GitHub pull request's own address as '', any other whole, and none as NULL", async () => {
    const { rows } = await ts.store.execute('SELECT id, url FROM work_items ORDER BY id');
    expect(Object.fromEntries(rows.map((row) => [row.id, row.url]))).toEqual({
      own: '',
      enterprise: 'https://github.acme.example/acme/api/pull/13',
      'other-number': 'https://github.com/acme/api/pull/15',
      'issue-path': 'https://github.com/acme/api/issues/16',
      none: null,
      'odd-key': '',
      'jira-API-1': 'https://acme.atlassian.net/browse/API-1',
    });
  });

  it('reads every address back as imported: one item, a list, the export, and SQL through its column', async () => {
    for (const { id } of ITEMS) expect((await ts.workItems.get(id))?.url, id).toBe(given(id));
    const listed = await ts.workItems.list({ limit: 100 });
    expect(listed.items.map((item) => [item.id, item.url]).sort()).toEqual(ITEMS.map((item) => [item.id, given(item.id)]).sort());
    const exported = (await ts.export()).workItems ?? [];
    expect(exported.map((item) => [item.id, item.url]).sort()).toEqual(ITEMS.map((item) => [item.id, given(item.id)]).sort());
    const { rows } = await ts.store.execute(`SELECT w.id, ${urlColumn('w')} AS url FROM work_items w`);
    for (const row of rows) expect(row.url ?? undefined, String(row.id)).toBe(given(String(row.id)));
  });

  it('imports its own export unchanged: nothing written the second time', async () => {
    const again = await ts.import(await ts.export());
    expect(again.changes).toBe(0);
  });
});
