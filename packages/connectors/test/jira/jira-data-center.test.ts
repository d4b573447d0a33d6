import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createFakeJira, type FakeJira, SITE } from './fake-jira.js';
import { openWorkspace, syncOk, testConnector } from './jira-test-setup.js';

let fake: FakeJira;
beforeEach(() => {
  fake = createFakeJira({ deployment: 'datacenter' });
  fake.listen();
});
afterEach(() => fake.close());

describe('jira data center', () => {
  it('syncs through REST v2: offset paging, user keys, Sprint strings, wiki text, a cut history read per issue', async () => {
    const ts = await openWorkspace(
      testConnector({ deployment: 'datacenter', email: undefined, apiToken: undefined, bearerToken: 'dc-personal-access-token' }),
    );
    await syncOk(ts);
    const searches = fake.received.filter((r) => r.path === '/rest/api/2/search');
    expect(searches.map((r) => r.body.startAt)).toEqual([0, 3, 6]);
    expect(fake.received.some((r) => r.path.startsWith('/rest/api/3/'))).toBe(false);
    // PAY-3's embedded history was cut: Data Center has no bulk endpoint, so that issue was read alone.
    expect(fake.received.filter((r) => r.path.startsWith('/rest/api/2/issue/')).map((r) => `${r.path}?${r.search}`)).toEqual([
      '/rest/api/2/issue/10003?expand=changelog&fields=created',
    ]);
    expect((await ts.workItems.get('PAY-3'))!.transitions!.map((t) => t.to)).toEqual(['In Progress', 'In Review', 'In Progress']);
    expect(await ts.workItems.get('PAY-2')).toMatchObject({
      author: 'ben-okafor',
      assignees: ['ana-garcia'],
      sprint: 'jira-sprint-1',
      storyPoints: 5,
      body: 'As a shopper I see an error when my card has expired.',
      url: `${SITE}/browse/PAY-2`,
    });
    expect((await ts.people.get('ana-garcia'))!.accounts).toEqual([{ provider: 'jira', id: 'JIRAUSER10100', login: 'Ana Garcia' }]);
    expect((await ts.sprints.get('jira-sprint-2'))!.committedItems).toEqual(['jira-10003', 'jira-10007']);
    expect(fake.received.every((r) => r.path !== '/rest/api/3/search/approximate-count')).toBe(true);
    await ts.close();
  });
});
