import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Connector, createTeamState, hmacSha256Hex } from '@teamstate/core';
import { afterAll, describe, expect, it } from 'vitest';

const team = (id: string) => ({ id, name: id.toUpperCase() });
const dir = mkdtempSync(join(tmpdir(), 'teamstate-freshness-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A clock tests move by hand. */
function manualClock(start: string) {
  let now = Date.parse(start);
  return {
    clock: () => new Date(now),
    advance(ms: number) {
      now += ms;
    },
  };
}

describe('ts.freshness() (issue 50)', () => {
  it('reports per source the last sync, whether it succeeded, the last webhook and the lag since the newest data', async () => {
    const time = manualClock('2026-05-04T10:00:00Z');
    let fail = false;
    const good: Connector = { specificationVersion: 'v1', id: 'good', sync: (ctx) => ctx.emit({ teams: [team('ok')] }) };
    const flaky: Connector = {
      specificationVersion: 'v1',
      id: 'flaky',
      async sync(ctx) {
        if (fail) throw new Error('GET https://me:s3cret-pass@upstream.example/x?token=abc failed: 502');
        await ctx.emit({ teams: [team('f')] });
      },
    };
    const never: Connector = { specificationVersion: 'v1', id: 'never', sync: async () => {} };
    const ts = await createTeamState({ database: ':memory:', connectors: [good, flaky, never], clock: time.clock });
    try {
      expect(await ts.freshness()).toEqual({
        sources: ['flaky', 'good', 'never'].map((source) => ({
          source,
          lastSync: null,
          lastSyncOk: null,
          lastWebhook: null,
          lagSeconds: null,
        })),
      });
      expect((await ts.sync({ only: ['good', 'flaky'] })).ok).toBe(true);
      time.advance(60_000);
      fail = true;
      expect((await ts.sync({ only: ['flaky'] })).ok).toBe(false);
      time.advance(30_000);
      const { sources } = await ts.freshness();
      expect(sources).toEqual([
        // Failed a minute after its last success: the lag counts from the success.
        { source: 'flaky', lastSync: '2026-05-04T10:01:00.000Z', lastSyncOk: false, lastWebhook: null, lagSeconds: 90 },
        { source: 'good', lastSync: '2026-05-04T10:00:00.000Z', lastSyncOk: true, lastWebhook: null, lagSeconds: 90 },
        { source: 'never', lastSync: null, lastSyncOk: null, lastWebhook: null, lagSeconds: null },
      ]);
      // The stored error is redacted like the result's.
      const stored = await ts.store.execute("SELECT last_error FROM sync_sources WHERE connector = 'flaky'");
      expect(String(stored.rows[0]!.last_error)).not.toContain('s3cret-pass');
      // team_overview's freshness carries the same entries.
      expect((await ts.overview()).freshness.sources).toEqual(sources);
    } finally {
      await ts.close();
    }
  });

  it('counts a webhook delivery as the newest data of its source', async () => {
    const time = manualClock('2026-05-04T10:00:00Z');
    const secret = 'whsec_freshness';
    const hooked: Connector = {
      specificationVersion: 'v1',
      id: 'hooked',
      sync: (ctx) => ctx.emit({ teams: [team('h')] }),
      webhooks: {
        provider: 'hooked',
        verify: (request) => request.headers['x-signature'] === hmacSha256Hex(secret, request.rawBody),
        deliveryId: (request) => request.headers['x-delivery'],
        eventName: () => 'ping',
        handle: async () => ({ ignored: 'a ping' }),
      },
    };
    const ts = await createTeamState({ database: ':memory:', connectors: [hooked], clock: time.clock });
    try {
      await ts.sync();
      time.advance(120_000);
      const body = '{"zen":"ok"}';
      const answer = await ts.webhooks.receive('hooked', {
        headers: { 'x-signature': hmacSha256Hex(secret, body), 'x-delivery': 'd-1' },
        rawBody: Buffer.from(body),
      });
      expect(answer.status).toBeLessThan(300);
      time.advance(5_000);
      expect((await ts.freshness()).sources).toEqual([
        {
          source: 'hooked',
          lastSync: '2026-05-04T10:00:00.000Z',
          lastSyncOk: true,
          lastWebhook: '2026-05-04T10:02:00.000Z',
          lagSeconds: 5,
        },
      ]);
    } finally {
      await ts.close();
    }
  });
});

describe('ts.syncLease() (issue 50)', () => {
  it('lets one holder at a time sync a connector, across processes sharing the database, and hands an expired lease over', async () => {
    const time = manualClock('2026-05-04T10:00:00Z');
    const database = join(dir, 'lease.db');
    const one = await createTeamState({ database, clock: time.clock });
    const two = await createTeamState({ database, clock: time.clock });
    try {
      const first = await one.syncLease('github', { holder: 'one', ttlMs: 60_000 });
      expect(first.acquired).toBe(true);
      const refused = await two.syncLease('github', { holder: 'two', ttlMs: 60_000 });
      expect(refused).toMatchObject({ acquired: false, heldBy: 'one', expiresAt: '2026-05-04T10:01:00.000Z' });
      // Another connector is a separate lease.
      expect((await two.syncLease('jira', { holder: 'two', ttlMs: 60_000 })).acquired).toBe(true);
      // Renewed, it outlives its first expiry.
      time.advance(50_000);
      expect(await first.renew()).toBe(true);
      time.advance(50_000);
      expect((await two.syncLease('github', { holder: 'two', ttlMs: 60_000 })).acquired).toBe(false);
      // The holder stops renewing (it died): once expired, another takes over, and the old holder cannot renew.
      time.advance(10_001);
      const takeover = await two.syncLease('github', { holder: 'two', ttlMs: 60_000 });
      expect(takeover.acquired).toBe(true);
      expect(await first.renew()).toBe(false);
      // Released, it is free at once.
      await takeover.release();
      expect((await one.syncLease('github', { holder: 'one', ttlMs: 60_000 })).acquired).toBe(true);
    } finally {
      await one.close();
      await two.close();
    }
  });

  it('refuses a lease without a holder or a positive time to live', async () => {
    const ts = await createTeamState({ database: ':memory:' });
    try {
      await expect(ts.syncLease('github', { holder: '', ttlMs: 1000 })).rejects.toThrow(/holder must be a non-empty string/);
      await expect(ts.syncLease('github', { holder: 'a', ttlMs: 0 })).rejects.toThrow(/ttlMs must be a positive number/);
    } finally {
      await ts.close();
    }
  });
});
