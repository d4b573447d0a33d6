import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createFakeJira, type FakeJira, issueLink } from './fake-jira.js';
import { openWorkspace, syncOk, testConnector } from './jira-test-setup.js';

// Jira issue links become work item links from the search answer itself: no request of their own.

let fake: FakeJira;
beforeEach(() => {
  fake = createFakeJira();
  fake.listen();
});
afterEach(() => fake.close());

const link = (type: 'Blocks' | 'Relates', direction: 'inwardIssue' | 'outwardIssue', key: string) => issueLink(fake, type, direction, key);

describe('jira issue links', () => {
  it('stores blocks and relates links from both sides, within the requests a sync makes without them', async () => {
    const plain = await openWorkspace(testConnector());
    await syncOk(plain);
    const withoutLinks = fake.count();

    // PAY-1 blocks PAY-2, PAY-2 blocks PAY-3, PAY-3 relates to PAY-4: Jira shows each link on both of its issues.
    const at = '2026-03-20T09:00:00.000+0000';
    fake.edit('PAY-1', { issuelinks: [link('Blocks', 'outwardIssue', 'PAY-2')] }, at);
    fake.edit('PAY-4', { issuelinks: [link('Relates', 'inwardIssue', 'PAY-3')] }, at);
    fake.edit('PAY-2', { issuelinks: [link('Blocks', 'inwardIssue', 'PAY-1'), link('Blocks', 'outwardIssue', 'PAY-3')] }, at);
    fake.edit('PAY-3', { issuelinks: [link('Blocks', 'inwardIssue', 'PAY-2'), link('Relates', 'outwardIssue', 'PAY-4')] }, at);
    const ts = await openWorkspace(testConnector());
    await syncOk(ts);
    expect(fake.count() - withoutLinks).toBe(withoutLinks);
    const chain = await ts.workItems.dependencies('PAY-3');
    expect(chain.blockedBy.map((e) => [e.key, e.depth])).toEqual([
      ['PAY-2', 1],
      ['PAY-1', 2],
    ]);
    expect(chain.roots).toEqual([chain.blockedBy[1]!.id]);
    const links = (await ts.export()).workItemLinks ?? [];
    expect(links).toHaveLength(3);
    expect(links.filter((l) => l.kind === 'relates')).toHaveLength(1);

    // An unchanged re-sync costs what the one without links costs.
    let before = fake.count();
    await syncOk(plain);
    const plainAgain = fake.count() - before;
    before = fake.count();
    await syncOk(ts);
    expect(fake.count() - before).toBe(plainAgain);
    expect((await ts.export()).workItemLinks).toHaveLength(3);
    await plain.close();
    await ts.close();
  });

  it('drops a link removed in Jira once a re-sync reads its issues again', async () => {
    const at = '2026-03-20T09:00:00.000+0000';
    fake.edit('PAY-1', { issuelinks: [link('Blocks', 'outwardIssue', 'PAY-2'), link('Relates', 'outwardIssue', 'PAY-3')] }, at);
    fake.edit('PAY-2', { issuelinks: [link('Blocks', 'inwardIssue', 'PAY-1')] }, at);
    fake.edit('PAY-3', { issuelinks: [link('Relates', 'inwardIssue', 'PAY-1')] }, at);
    const ts = await openWorkspace(testConnector());
    await syncOk(ts);
    expect((await ts.workItems.dependencies('PAY-2')).blockedBy.map((e) => e.key)).toEqual(['PAY-1']);

    // The blocking link is removed: Jira updates both issues, and the relates link stays.
    const later = '2026-03-24T09:30:00.000+0000';
    fake.edit('PAY-1', { issuelinks: [link('Relates', 'outwardIssue', 'PAY-3')] }, later);
    fake.edit('PAY-2', { issuelinks: [] }, later);
    await syncOk(ts);
    expect((await ts.workItems.dependencies('PAY-2')).blockedBy).toEqual([]);
    const links = (await ts.export()).workItemLinks ?? [];
    expect(links.map((l) => l.kind)).toEqual(['relates']);
    await ts.close();
  });
});
