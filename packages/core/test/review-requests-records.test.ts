import { describe, expect, it } from 'vitest';
import { createTeamState } from '../src/index.js';

// Requested reviewers are person-level records like assignees: a person merge moves them, an erasure removes them.
describe('requested reviewers as records', () => {
  it('move to the person an account is linked to, and are gone with an erased person', async () => {
    const ts = await createTeamState({ database: ':memory:' });
    try {
      await ts.resolvePeople([
        { provider: 'github', id: '1001', login: 'anag', email: 'ana@acme.example' },
        { provider: 'jira', id: 'acc-1', login: 'Ana G.' },
        { provider: 'github', id: '1002', login: 'benk', email: 'ben@acme.example' },
      ]);
      const people = (await ts.people.list()).map((p) => p.id).sort();
      expect(people).toEqual(['ana-g', 'anag', 'benk']);
      await ts.import({
        format: 'teamstate.bundle/v1',
        workItems: [
          {
            id: 'gh-pr-acme/api#7',
            source: 'github',
            kind: 'pull_request',
            key: 'acme/api#7',
            title: 'Refund retries',
            state: 'open',
            createdAt: '2026-03-01T09:00:00Z',
            requestedReviewers: ['ana-g', 'benk'],
          },
        ],
      });
      await ts.linkAccount({ provider: 'jira', id: 'acc-1' }, 'anag');
      expect((await ts.workItems.get('gh-pr-acme/api#7'))?.requestedReviewers).toEqual(['anag', 'benk']);
      await ts.people.erase('benk', { by: 'dpo' });
      expect((await ts.workItems.get('gh-pr-acme/api#7'))?.requestedReviewers).toEqual(['anag']);
      const rows = await ts.store.execute("SELECT count(*) AS n FROM review_requests WHERE person_id = 'benk'");
      expect(Number(rows.rows[0]!.n)).toBe(0);
    } finally {
      await ts.close();
    }
  });
});
