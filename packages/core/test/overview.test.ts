import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createTeamState } from '../src/index.js';
import { testConnector } from '../src/testing/index.js';
import { acmeBundle } from './fixtures/acme-bundle.js';
import { trackerConnector } from './fixtures/tracker-connector.js';

const at = (iso: string) => () => new Date(iso);

describe('ts.overview()', () => {
  it('says when each connector last synced successfully and when each webhook provider last delivered (issue 17)', async () => {
    let now = Date.parse('2026-03-10T12:00:00Z');
    const broken = { ...testConnector({ id: 'jira' }), sync: async () => Promise.reject(new Error('401 Unauthorized')) };
    const tracker = trackerConnector(() => ({ records: {} }));
    const dir = mkdtempSync(join(tmpdir(), 'teamstate-overview-'));
    const database = join(dir, 'teamstate.db');
    const clock = () => new Date(now);
    const ts = await createTeamState({ database, connectors: [testConnector({ id: 'github' }), broken, tracker], clock });
    // Configured but never synced: listed, with no success yet.
    expect((await ts.overview()).freshness).toEqual({
      syncs: [
        { connector: 'github', lastSucceededAt: null },
        { connector: 'jira', lastSucceededAt: null },
        { connector: 'tracker', lastSucceededAt: null },
      ],
      webhooks: [],
      // Per source, what ts.freshness() says (issue 50).
      sources: ['github', 'jira', 'tracker'].map((source) => ({
        source,
        lastSync: null,
        lastSyncOk: null,
        lastWebhook: null,
        lagSeconds: null,
      })),
    });
    await ts.sync();
    now += 3_600_000;
    await ts.sync({ only: ['github'] });
    now += 600_000;
    await ts.webhooks.receive('tracker', { headers: { 'x-delivery': 'd-1' }, rawBody: Buffer.from('{"event":"issue_updated"}') });
    const { freshness } = await ts.overview();
    const sources = [
      { source: 'github', lastSync: '2026-03-10T13:00:00.000Z', lastSyncOk: true, lastWebhook: null, lagSeconds: 600 },
      { source: 'jira', lastSync: '2026-03-10T12:00:00.000Z', lastSyncOk: false, lastWebhook: null, lagSeconds: null },
      { source: 'tracker', lastSync: '2026-03-10T12:00:00.000Z', lastSyncOk: true, lastWebhook: '2026-03-10T13:10:00.000Z', lagSeconds: 0 },
    ];
    expect(freshness).toEqual({
      syncs: [
        { connector: 'github', lastSucceededAt: '2026-03-10T13:00:00.000Z' },
        { connector: 'jira', lastSucceededAt: null },
        { connector: 'tracker', lastSucceededAt: '2026-03-10T12:00:00.000Z' },
      ],
      webhooks: [{ provider: 'tracker', lastReceivedAt: '2026-03-10T13:10:00.000Z' }],
      sources,
    });
    expect(freshness.sources).toEqual(await ts.freshness().then((f) => f.sources));
    await ts.close();
    // A process opened without the connectors (`teamstate mcp --db`) still reports what was synced into the database.
    const reader = await createTeamState({ database, clock });
    expect((await reader.overview()).freshness).toEqual({
      syncs: [
        { connector: 'github', lastSucceededAt: '2026-03-10T13:00:00.000Z' },
        { connector: 'tracker', lastSucceededAt: '2026-03-10T12:00:00.000Z' },
      ],
      webhooks: [{ provider: 'tracker', lastReceivedAt: '2026-03-10T13:10:00.000Z' }],
      // The failed connector's last sync is recorded too.
      sources,
    });
    await reader.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("counts a team's open, awaiting and recently merged pull requests at the clock's now", async () => {
    let now = at('2026-03-06T00:00:00Z');
    const ts = await createTeamState({ database: ':memory:', clock: () => now() });
    await ts.import(acmeBundle());
    // Open and ready, reviewed only by its author: it still awaits review. Another open one has a review.
    await ts.import({
      format: 'teamstate.bundle/v1',
      workItems: [
        {
          id: 'pr-3',
          source: 'github',
          kind: 'pull_request',
          key: 'acme/payments-api#3',
          title: 'Retry webhooks',
          state: 'open',
          repository: 'acme/payments-api',
          author: 'ana',
          createdAt: '2026-03-05T09:00:00Z',
          reviews: [{ reviewer: 'ana', state: 'commented', submittedAt: '2026-03-05T10:00:00Z' }],
        },
        {
          id: 'pr-4',
          source: 'github',
          kind: 'pull_request',
          key: 'acme/payments-api#4',
          title: 'Faster refunds',
          state: 'open',
          repository: 'acme/payments-api',
          author: 'ben',
          createdAt: '2026-03-05T11:00:00Z',
          reviews: [{ reviewer: 'ana', state: 'commented', submittedAt: '2026-03-05T12:00:00Z' }],
        },
      ],
    });
    const payments = async () => (await ts.overview({ team: 'payments' })).teams;

    // pr-2 (draft), pr-3 and pr-4 are open; pr-3 and pr-4 (only commented on, not approved) wait in the review queue;
    // pr-1 merged on 2026-03-03.
    expect(await payments()).toMatchObject([
      { id: 'payments', openPullRequests: 3, pullRequestsAwaitingReview: 2, pullRequestsMergedLast7Days: 1 },
    ]);
    // A week after the merge it has left the 7-day window.
    now = at('2026-03-10T09:15:30.250Z');
    expect(await payments()).toMatchObject([{ openPullRequests: 3, pullRequestsAwaitingReview: 2, pullRequestsMergedLast7Days: 1 }]);
    now = at('2026-03-10T09:15:30.251Z');
    expect(await payments()).toMatchObject([{ pullRequestsMergedLast7Days: 0 }]);
    // Before pr-3 and pr-4 were opened, only pr-2 (a draft) was open.
    now = at('2026-03-05T08:00:00Z');
    expect(await payments()).toMatchObject([{ openPullRequests: 1, pullRequestsAwaitingReview: 0, pullRequestsMergedLast7Days: 1 }]);
    // Other teams own none of them.
    expect((await ts.overview({ team: 'leads' })).teams).toMatchObject([
      { id: 'leads', openPullRequests: 0, pullRequestsMergedLast7Days: 0 },
    ]);
    await ts.close();
  });
});
