import { demo, demoBundle } from '@teamstate/connectors/demo';
import { createTeamState, parseBundle } from '@teamstate/core';
import { describe, expect, it } from 'vitest';

const now = new Date('2026-11-21T10:30:00Z');
const DAY = 86_400_000;

describe('demo organisation', () => {
  const bundle = demoBundle({ now });

  it('is deterministic for a seed and a day, and differs for another seed', () => {
    expect(demoBundle({ now: new Date('2026-11-21T23:59:00Z') })).toEqual(bundle);
    expect(demoBundle({ now, seed: 7 })).not.toEqual(bundle);
  });

  it('is a valid bundle of the promised shape', () => {
    expect(parseBundle(bundle)).toBeTruthy();
    expect(bundle.teams).toHaveLength(3);
    expect(bundle.people.length).toBeGreaterThanOrEqual(18);
    expect(bundle.people.length).toBeLessThanOrEqual(22);
    for (const person of bundle.people) expect(person.accounts!.map((a) => a.provider).sort()).toEqual(['github', 'jira', 'slack']);
    expect(bundle.repositories.length).toBeGreaterThanOrEqual(4);
    expect(bundle.repositories.length).toBeLessThanOrEqual(6);
    const prs = bundle.workItems.filter((w) => w.kind === 'pull_request');
    const created = prs.map((w) => Date.parse(w.createdAt));
    expect(Math.max(...created) - Math.min(...created)).toBeGreaterThan(80 * DAY);
    expect(prs.filter((w) => (w.reviews?.length ?? 0) > 0).length).toBeGreaterThan(prs.length * 0.8);
    const environments = new Set(bundle.deployments.map((d) => d.environment));
    expect(environments).toEqual(new Set(['production', 'staging']));
    expect(bundle.deployments.some((d) => d.environment === 'production' && d.status === 'failure')).toBe(true);
    expect(bundle.deployments.some((d) => d.environment === 'production' && d.status === 'success' && d.pullRequests === undefined)).toBe(
      true,
    );
    expect(bundle.incidents.some((i) => i.deployment !== undefined)).toBe(true);
    expect(bundle.incidents.some((i) => i.resolvedAt === undefined)).toBe(true);
    expect(new Set(bundle.sprints.map((s) => s.state))).toEqual(new Set(['closed', 'active', 'future']));
    const issues = bundle.workItems.filter((w) => w.source === 'jira' && w.kind !== 'epic');
    expect(issues.every((w) => typeof w.storyPoints === 'number')).toBe(true);
    expect(issues.some((w) => w.transitions?.some((t) => t.to === 'Blocked'))).toBe(true);
    // Some items were added to a sprint after it started.
    const committed = new Set(bundle.sprints.flatMap((s) => s.committedItems ?? []));
    expect(issues.some((w) => w.sprint && !committed.has(w.id))).toBe(true);
  });

  it('contains stale PRs, PRs waiting for review, blocked and overdue tickets and an overloaded person', () => {
    const end = Date.parse('2026-11-21T00:00:00Z');
    const open = bundle.workItems.filter((w) => w.kind === 'pull_request' && w.state === 'open');
    expect(open.some((w) => end - Date.parse(w.updatedAt!) > 7 * DAY)).toBe(true);
    expect(open.some((w) => !w.draft && (w.reviews ?? []).length === 0)).toBe(true);
    expect(bundle.workItems.some((w) => w.state === 'Blocked' && w.flagged && end - Date.parse(w.updatedAt!) > 2 * DAY)).toBe(true);
    expect(bundle.workItems.some((w) => w.dueAt && Date.parse(w.dueAt) < end && w.statusCategory !== 'done')).toBe(true);
    const wip = new Map<string, number>();
    for (const w of bundle.workItems) {
      if (w.statusCategory === 'in_progress' && w.kind !== 'epic') for (const a of w.assignees ?? []) wip.set(a, (wip.get(a) ?? 0) + 1);
    }
    expect(Math.max(...wip.values())).toBeGreaterThanOrEqual(6);
    expect(bundle.workItems.some((w) => (w.additions ?? 0) + (w.deletions ?? 0) > 400)).toBe(true);
    // Nothing happens after the anchor day starts.
    for (const w of bundle.workItems) for (const r of w.reviews ?? []) expect(Date.parse(r.submittedAt)).toBeLessThan(end);
  });

  it('grows to 1,000 people, one year and over 100k work items at large scale', () => {
    const large = demoBundle({ now, scale: 'large' });
    expect(large.people).toHaveLength(1000);
    expect(large.workItems.length).toBeGreaterThan(100_000);
    const created = large.workItems.filter((w) => w.kind === 'pull_request').map((w) => Date.parse(w.createdAt));
    expect(Math.max(...created) - Math.min(...created)).toBeGreaterThan(360 * DAY);
    expect(new Set(large.people.map((p) => p.id)).size).toBe(1000);
  });

  it('syncs through the connector pipeline, and syncing again the same day changes nothing', async () => {
    const ts = await createTeamState({ database: ':memory:', connectors: [demo()], clock: () => now });
    const progress: string[] = [];
    const first = await ts.sync({ onProgress: (p) => p.phase && progress.push(p.phase) });
    expect(first.ok).toBe(true);
    expect(first.connectors[0]!.batches).toBeGreaterThan(3);
    expect(progress).toContain('work items');
    const exported = await ts.export();
    expect(exported.workItems).toHaveLength(bundle.workItems.length);
    const rows = (await ts.store.execute('SELECT count(*) AS n FROM reviews')).rows[0]!.n;
    const again = await ts.sync();
    expect(again.ok).toBe(true);
    expect(await ts.export()).toEqual(exported);
    expect((await ts.store.execute('SELECT count(*) AS n FROM reviews')).rows[0]!.n).toBe(rows);
    const cursor = await ts.store.execute("SELECT value FROM sync_cursors WHERE connector = 'demo' AND key = '@last_success'");
    expect(cursor.rows[0]!.value).toBe(now.toISOString());
    await ts.close();
  });
});
