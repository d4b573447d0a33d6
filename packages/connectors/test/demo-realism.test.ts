import { demoBundle } from '@teamstate/connectors/demo';
import { describe, expect, it } from 'vitest';

// The demo reads like a real organisation: each team has its own blockers and titles, no two issues of a team share
// a title, pull request numbers run 1..N, a repository's pull requests are about that repository, and pull requests
// name the issue they work on.
const bundle = demoBundle({ now: new Date('2026-11-27T18:47:08.333Z') });
const issues = bundle.workItems.filter((w) => w.kind !== 'pull_request' && w.kind !== 'epic');
const prs = bundle.workItems.filter((w) => w.kind === 'pull_request');

describe('demo realism', () => {
  it('gives each team its own blocked, aging and overdue tickets', () => {
    const blocked = issues.filter((w) => w.state === 'Blocked');
    expect(blocked.map((w) => w.team).sort()).toEqual(['growth', 'payments', 'platform']);
    expect(new Set(blocked.map((w) => w.title)).size).toBe(3);
    const reports = bundle.reports ?? [];
    for (const ticket of blocked) {
      const waiting = reports.filter((r) => r.blockers?.includes(`(${ticket.key})`));
      expect(waiting.length, ticket.key).toBeGreaterThan(0);
    }
    const about = (key: string) => reports.find((r) => r.blockers?.includes(`(${key})`))!.blockers!;
    expect(new Set(blocked.map((w) => about(w.key).replace(/\(.*$/, ''))).size).toBe(3);
  });

  it('never gives two issues of one team the same title', () => {
    for (const team of ['payments', 'platform', 'growth']) {
      const titles = issues.filter((w) => w.team === team).map((w) => w.title);
      expect(new Set(titles).size, team).toBe(titles.length);
    }
  });

  it('numbers pull requests 1..N and keeps each repository to its own topics', () => {
    const numbers = prs.map((w) => Number(w.key.split('#')[1])).sort((a, b) => a - b);
    expect(numbers).toEqual(numbers.map((_, i) => i + 1));
    expect(prs.filter((w) => /dark mode/i.test(w.title)).every((w) => w.repository === 'acme/web-app')).toBe(true);
    expect(prs.filter((w) => w.repository === 'acme/ledger').some((w) => /dark mode|signup|pricing page/i.test(w.title))).toBe(false);
  });

  it("names, in most merged pull requests, an issue of the PR's team", () => {
    const keys = new Map(issues.map((w) => [w.key, w.team]));
    const merged = prs.filter((w) => w.mergedAt !== undefined);
    const named = merged.filter((w) => {
      const key = /Part of ([A-Z]+-\d+)\./.exec(w.body ?? '')?.[1];
      return key !== undefined && keys.get(key) === w.team;
    });
    expect(named.length).toBeGreaterThan(merged.length * 0.8);
  });
});
