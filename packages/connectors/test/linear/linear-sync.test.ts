import type { BundleInput } from '@teamstate/core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createFakeLinear } from './fake-linear.js';
import { API_KEY, NOW, openWorkspace, testConnector } from './linear-test-setup.js';

const fake = createFakeLinear();
beforeAll(() => fake.listen());
afterAll(() => fake.close());
beforeEach(() => fake.reset());

const byKey = (bundle: BundleInput, key: string) => bundle.workItems?.find((w) => w.key === key);
const cycleId = (team: string, number: number) => `linear-cycle-${fake.cycles.find((c) => c.team === team && c.number === number)!.id}`;

describe('linear sync', () => {
  it('maps teams, issues with their state history, estimates, cycles with committed scope and people', async () => {
    const ts = await openWorkspace(testConnector());
    const result = await ts.sync();
    expect(result.ok, JSON.stringify(result)).toBe(true);
    const bundle = await ts.export();
    expect(bundle.teams?.map((t) => t.id).sort()).toEqual(['linear-web', 'payments']);

    const pay3 = byKey(bundle, 'PAY-3')!;
    expect(pay3).toMatchObject({
      source: 'linear',
      kind: 'bug',
      team: 'payments',
      state: 'Done',
      statusCategory: 'done',
      storyPoints: 2,
      sprint: cycleId('PAY', 12),
      resolvedAt: '2026-03-12T09:00:00.000Z',
      url: 'https://linear.app/acme/issue/pay-3/card-fingerprint-collisions',
    });
    // 21 history entries: the first 15 come with the page, the rest in one more request; title edits are no transitions.
    expect(pay3.transitions?.map((t) => `${t.at} ${t.from}>${t.to} ${t.fromCategory}>${t.toCategory}`)).toEqual([
      '2026-03-09T10:00:00.000Z Backlog>In Progress todo>in_progress',
      '2026-03-10T10:00:00.000Z In Progress>In Review in_progress>in_progress',
      '2026-03-10T15:00:00.000Z In Review>In Progress in_progress>in_progress',
      '2026-03-11T12:00:00.000Z In Progress>In Review in_progress>in_progress',
      '2026-03-12T09:00:00.000Z In Review>Done in_progress>done',
    ]);
    // Ingested text stays text.
    expect(pay3.body).toContain('<script>alert(1)</script> `rm -rf /` stays text.');
    expect(byKey(bundle, 'PAY-5')).toMatchObject({ state: 'Canceled', statusCategory: 'done', resolvedAt: '2026-02-24T09:00:00.000Z' });
    expect(byKey(bundle, 'PAY-4')).toMatchObject({
      kind: 'task',
      parent: 'PAY-1',
      dueAt: '2026-03-20T23:59:59.999Z',
      statusCategory: 'todo',
    });
    expect(byKey(bundle, 'PAY-1')).toMatchObject({ components: ['Checkout v2'], labels: ['Backend'], storyPoints: 3 });
    expect(byKey(bundle, 'WEB-1')?.team).toBe('linear-web');

    // Cycles as sprints: closed, active and future; committed scope = the issues in a cycle when it started.
    const sprints = new Map(bundle.sprints?.map((s) => [s.id, s]));
    const workItem = (key: string) => byKey(bundle, key)!.id;
    expect(sprints.get(cycleId('PAY', 11))).toMatchObject({
      name: 'Cycle 11',
      team: 'payments',
      state: 'closed',
      completedAt: '2026-03-09T08:00:00.000Z',
      committedItems: [workItem('PAY-1'), workItem('PAY-2')].sort(),
    });
    // PAY-2 moved in half an hour after the start and PAY-4 a day later: added, not committed.
    expect(sprints.get(cycleId('PAY', 12))).toMatchObject({
      name: 'Checkout hardening',
      state: 'active',
      committedItems: [workItem('PAY-3')],
    });
    expect(sprints.get(cycleId('PAY', 13))).toMatchObject({ state: 'future', committedItems: [] });

    // Assignees and creators are people linked by email; the GitHub integration is not a person.
    const people = bundle.people ?? [];
    expect(people.map((p) => p.email).sort()).toEqual(['ana@acme.example', 'ben@acme.example', 'chloe@acme.example']);
    const ben = people.find((p) => p.email === 'ben@acme.example')!;
    expect(ben.accounts).toEqual([{ provider: 'linear', id: fake.users[1]!.id, login: 'ben' }]);
    expect(byKey(bundle, 'PAY-2')).toMatchObject({ assignees: [ben.id] });
    expect(byKey(bundle, 'WEB-1')?.author).toBeUndefined();

    // Two requests: the page (teams, cycles, issues) and the rest of PAY-3's history; each far below 10,000 points.
    expect(fake.received.map((r) => r.operation)).toEqual(['TeamstateSync', 'TeamstateHistory']);
    for (const request of fake.received) expect(request.complexity).toBeLessThanOrEqual(10_000);
    expect(JSON.stringify(bundle)).not.toContain(API_KEY);
    await ts.close();
  });

  it('re-syncs an unchanged workspace in one request, then reads only what changed since', async () => {
    const ts = await openWorkspace(testConnector({ teams: ['PAY'] }));
    await ts.sync();
    const synced = await ts.export();
    fake.received.length = 0;
    expect((await ts.sync()).ok).toBe(true);
    expect(fake.received).toHaveLength(1);
    expect(fake.received[0]!.variables.issueFilter).toEqual({
      team: { key: { in: ['PAY'] } },
      updatedAt: { gt: '2026-03-16T09:10:00.000Z' },
    });
    expect(await ts.export()).toEqual(synced);

    fake.move('PAY-2', 'Done', '2026-03-18T09:30:00.000Z');
    fake.received.length = 0;
    expect((await ts.sync()).ok).toBe(true);
    expect(fake.received.map((r) => r.operation)).toEqual(['TeamstateSync']);
    const pay2 = byKey(await ts.export(), 'PAY-2')!;
    expect(pay2).toMatchObject({ state: 'Done', statusCategory: 'done', resolvedAt: '2026-03-18T09:30:00.000Z' });
    expect(pay2.transitions?.at(-1)).toMatchObject({ from: 'In Review', to: 'Done', toCategory: 'done' });
    await ts.close();
  });

  it('waits out RATELIMITED until the reset Linear announces, and waits before overdrawing the request budget', async () => {
    const waits: string[] = [];
    const ts = await openWorkspace(testConnector({}, waits));
    fake.force({
      status: 400,
      headers: { 'X-RateLimit-Requests-Reset': String(NOW.getTime() + 4_000) },
      body: { errors: [{ message: 'Rate limit exceeded', extensions: { code: 'RATELIMITED' } }] },
    });
    expect((await ts.sync()).ok).toBe(true);
    expect(waits).toEqual(['4000 Linear query TeamstateSync: rate limited (RATELIMITED), retry 1 of 6']);
    // One request left: the next one waits for the reset first.
    fake.limits.requests = 1;
    fake.limits.resetAt = NOW.getTime() + 30_000;
    fake.move('PAY-4', 'In Progress', '2026-03-18T09:00:00.000Z');
    fake.issues
      .find((i) => i.identifier === 'PAY-4')!
      .history.push(
        ...Array.from({ length: 20 }, (_, n) => ({
          id: `00000000-0000-4000-a000-${String(n).padStart(12, '0')}`,
          createdAt: `2026-03-10T09:${String(10 + n).padStart(2, '0')}:00.000Z`,
          fromState: null,
          toState: null,
          fromCycleId: null,
          toCycleId: null,
        })),
      );
    waits.length = 0;
    expect((await ts.sync()).ok).toBe(true);
    expect(waits).toEqual(['30000 Linear rate limit nearly used up; waiting for its reset before query TeamstateHistory']);
    await ts.close();
  });

  it('refuses an unknown team key naming linear.teams, and a bad API key without showing it; the store is unchanged', async () => {
    const ts = await openWorkspace(testConnector({ teams: ['NOPE'] }));
    const before = await ts.export();
    const result = await ts.sync();
    expect(result.connectors[0]?.error?.message).toBe(
      'linear.teams: team NOPE does not exist or the API key cannot see it (check the key)',
    );
    expect(await ts.export()).toEqual(before);
    await ts.close();

    const other = await openWorkspace(testConnector());
    fake.force({
      status: 400,
      body: { errors: [{ message: `Authentication failed for ${API_KEY}`, extensions: { code: 'AUTHENTICATION_ERROR' } }] },
    });
    const failed = await other.sync();
    const message = failed.connectors[0]?.error?.message ?? '';
    expect(message).toContain('check connectors.linear.apiKey');
    expect(message).not.toContain(API_KEY);
    await other.close();
  });

  it('keeps every request within the 10,000-point complexity limit at the largest page size', async () => {
    // 120 more issues with 15 history entries each: full pages of 90 issues at the most expensive shape.
    const template = fake.issues.find((i) => i.identifier === 'PAY-3')!;
    for (let n = 0; n < 120; n++)
      fake.issues.push({
        ...structuredClone(template),
        id: `00000000-0000-4000-b000-${String(n).padStart(12, '0')}`,
        identifier: `PAY-${100 + n}`,
        updatedAt: `2026-03-17T10:${String(n % 60).padStart(2, '0')}:00.000Z`,
      });
    const ts = await openWorkspace(testConnector({ pageSize: 90 }));
    expect((await ts.sync()).ok).toBe(true);
    expect((await ts.export()).workItems).toHaveLength(127);
    const costs = fake.received.map((r) => r.complexity);
    expect(Math.max(...costs)).toBeGreaterThan(5_000);
    for (const cost of costs) expect(cost).toBeLessThanOrEqual(10_000);
    await ts.close();
  });

  it('works out the committed scope of a cycle that started since the last run, reading its issues once', async () => {
    let now = NOW;
    const ts = await openWorkspace(testConnector({ teams: ['PAY'] }), { clock: () => now });
    await ts.sync();
    const cycle13 = cycleId('PAY', 13);
    expect((await ts.export()).sprints?.find((s) => s.id === cycle13)).toMatchObject({ state: 'future' });
    // Cycle 13 starts on the 23rd; nothing changed in Linear since the last run.
    now = new Date('2026-03-24T09:00:00Z');
    fake.received.length = 0;
    expect((await ts.sync()).ok).toBe(true);
    expect(fake.received.map((r) => r.operation)).toEqual(['TeamstateSync', 'TeamstateCycleIssues']);
    const bundle = await ts.export();
    expect(bundle.sprints?.find((s) => s.id === cycle13)).toMatchObject({ state: 'active', committedItems: [byKey(bundle, 'PAY-6')!.id] });
    // Done once: the next run is one request again.
    fake.received.length = 0;
    await ts.sync();
    expect(fake.received.map((r) => r.operation)).toEqual(['TeamstateSync']);
    await ts.close();
  });
});
