import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createFakeLinear } from './fake-linear.js';
import { openWorkspace, testConnector } from './linear-test-setup.js';

// Linear relations come with each issue in the sync's own query: `blocks` and `related` become work item links,
// those to issues read later in the run are stored at its end, and no request is added.

const fake = createFakeLinear();
beforeAll(() => fake.listen());
afterAll(() => fake.close());
beforeEach(() => fake.reset());

const id = (key: string) => fake.issues.find((i) => i.identifier === key)!.id;

describe('linear relations', () => {
  it('stores blocks and related relations as links, with the requests of a sync without them', async () => {
    const plain = await openWorkspace(testConnector());
    expect((await plain.sync()).ok).toBe(true);
    const requestsWithout = fake.received.length;
    await plain.close();

    fake.received.length = 0;
    // PAY-1 blocks PAY-2 blocks PAY-4; PAY-3 relates to PAY-1; a duplicate is not a dependency.
    fake.relations.push(
      { id: 'rel-1', type: 'blocks', issueId: id('PAY-1'), relatedIssueId: id('PAY-2') },
      { id: 'rel-2', type: 'blocks', issueId: id('PAY-2'), relatedIssueId: id('PAY-4') },
      { id: 'rel-3', type: 'related', issueId: id('PAY-3'), relatedIssueId: id('PAY-1') },
      { id: 'rel-4', type: 'duplicate', issueId: id('PAY-4'), relatedIssueId: id('PAY-3') },
    );
    const ts = await openWorkspace(testConnector());
    expect((await ts.sync()).ok).toBe(true);
    expect(fake.received.length).toBe(requestsWithout);
    const chain = await ts.workItems.dependencies('PAY-4');
    expect(chain.blockedBy.map((e) => [e.key, e.depth])).toEqual([
      ['PAY-2', 1],
      ['PAY-1', 2],
    ]);
    const links = (await ts.export()).workItemLinks ?? [];
    expect(links.map((l) => l.kind).sort()).toEqual(['blocks', 'blocks', 'relates']);

    // An unchanged re-sync is one request, as before.
    fake.received.length = 0;
    expect((await ts.sync()).ok).toBe(true);
    expect(fake.received.map((r) => r.operation)).toEqual(['TeamstateSync']);
    await ts.close();
  });

  it("pages an issue's relations past the first page", async () => {
    // PAY-1 blocks PAY-2, PAY-3 and PAY-4 has sixty duplicates of PAY-3 before it
    // relates to PAY-4: the first two come with the issue, the rest in pages of 50.
    const blocked = ['PAY-2', 'PAY-3', 'PAY-4'];
    blocked.forEach((key, n) => fake.relations.push({ id: `rel-b${n}`, type: 'blocks', issueId: id('PAY-1'), relatedIssueId: id(key) }));
    for (let n = 0; n < 60; n++)
      fake.relations.push({ id: `rel-d${n}`, type: 'duplicate', issueId: id('PAY-1'), relatedIssueId: id('PAY-3') });
    fake.relations.push({ id: 'rel-last', type: 'related', issueId: id('PAY-1'), relatedIssueId: id('PAY-4') });
    const ts = await openWorkspace(testConnector());
    expect((await ts.sync()).ok).toBe(true);
    const links = (await ts.export()).workItemLinks ?? [];
    const key = (itemId: string) => fake.issues.find((i) => `linear-${i.id}` === itemId)?.identifier ?? itemId;
    expect(links.map((l) => `${key(l.from)} ${l.kind} ${key(l.to)}`).sort()).toEqual([
      'PAY-1 blocks PAY-2',
      'PAY-1 blocks PAY-3',
      'PAY-1 blocks PAY-4',
      'PAY-1 relates PAY-4',
    ]);
    for (const blockedKey of blocked) {
      expect((await ts.workItems.dependencies(blockedKey)).blockedBy.map((e) => [e.key, e.depth])).toEqual([['PAY-1', 1]]);
    }
    await ts.close();
  });

  it('drops a relation removed in Linear once a re-sync reads its issue again', async () => {
    fake.relations.push(
      { id: 'rel-1', type: 'blocks', issueId: id('PAY-1'), relatedIssueId: id('PAY-2') },
      { id: 'rel-2', type: 'related', issueId: id('PAY-1'), relatedIssueId: id('PAY-3') },
      { id: 'rel-3', type: 'blocks', issueId: id('PAY-3'), relatedIssueId: id('PAY-2') },
    );
    const ts = await openWorkspace(testConnector());
    expect((await ts.sync()).ok).toBe(true);
    expect((await ts.workItems.dependencies('PAY-2')).blockedBy.map((e) => e.key).sort()).toEqual(['PAY-1', 'PAY-3']);

    // PAY-1 no longer blocks PAY-2 (Linear updates the issue); PAY-3's relation, on an issue not read again, stays.
    fake.relations = fake.relations.filter((r) => r.id !== 'rel-1');
    fake.issues.find((i) => i.identifier === 'PAY-1')!.updatedAt = '2026-03-18T09:30:00.000Z';
    expect((await ts.sync()).ok).toBe(true);
    expect((await ts.workItems.dependencies('PAY-2')).blockedBy.map((e) => e.key)).toEqual(['PAY-3']);
    expect(((await ts.export()).workItemLinks ?? []).map((l) => l.kind).sort()).toEqual(['blocks', 'relates']);
    await ts.close();
  });
});
