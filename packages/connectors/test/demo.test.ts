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

  it('files daily reports for most people on most working days, a few with blockers', () => {
    const weekdays = new Set<string>();
    for (let day = Date.parse('2026-11-21T00:00:00Z') - 90 * DAY; day < Date.parse('2026-11-21T00:00:00Z'); day += DAY)
      if (![0, 6].includes(new Date(day).getUTCDay())) weekdays.add(new Date(day).toISOString().slice(0, 10));
    const days = new Map<string, number>();
    let lines = 0;
    for (const report of bundle.reports) {
      expect(weekdays.has(report.day), report.day).toBe(true);
      expect(Date.parse(report.createdAt!)).toBeLessThan(Date.parse('2026-11-21T00:00:00Z'));
      lines += report.text.split('\n').length;
      days.set(report.person, (days.get(report.person) ?? 0) + 1);
    }
    expect(lines / bundle.reports.length).toBeGreaterThan(2);
    const diligent = bundle.people.filter((p) => (days.get(p.id) ?? 0) >= weekdays.size * 0.8);
    expect(diligent.length).toBeGreaterThanOrEqual(bundle.people.length * 0.8);
    const blocked = bundle.reports.filter((r) => r.blockers !== undefined).length / bundle.reports.length;
    expect(blocked).toBeGreaterThan(0.02);
    expect(blocked).toBeLessThan(0.15);
    // Reports say what people did: the keys of their pull requests and issues.
    expect(bundle.reports.filter((r) => /acme\/[a-z-]+#\d+|[A-Z]+-\d+/.test(r.text)).length).toBeGreaterThan(bundle.reports.length * 0.5);
  });

  it('marks a realistic share of pull requests AI-assisted, with trailers, bot authors, labels and body footers', async () => {
    const ts = await createTeamState({ database: ':memory:', clock: () => now });
    await ts.import(bundle);
    const prs = (await ts.export()).workItems.filter((w) => w.kind === 'pull_request');
    const assisted = prs.filter((w) => w.ai?.assisted === true);
    expect(assisted.length / prs.length).toBeGreaterThan(0.15);
    expect(assisted.length / prs.length).toBeLessThan(0.6);
    const kinds = new Set(assisted.flatMap((w) => w.ai!.evidence.map((e) => e.kind)));
    expect([...kinds].sort()).toEqual(['author', 'body', 'label', 'survey', 'trailer']);
    expect(new Set(assisted.flatMap((w) => w.ai!.tools))).toEqual(new Set(['claude', 'copilot', 'cursor']));
    // Adoption grows: the last month has a larger share than the first.
    const share = (from: number, to: number) => {
      const window = prs.filter((w) => Date.parse(w.createdAt) >= from && Date.parse(w.createdAt) < to);
      return window.filter((w) => w.ai?.assisted === true).length / window.length;
    };
    const end = Date.parse('2026-11-21T00:00:00Z');
    expect(share(end - 30 * DAY, end)).toBeGreaterThan(share(end - 90 * DAY, end - 60 * DAY));
    // Teams differ: growth has barely started.
    const ofTeam = (team: string) => prs.filter((w) => w.team === team);
    const teamShare = (team: string) => ofTeam(team).filter((w) => w.ai?.assisted === true).length / ofTeam(team).length;
    expect(teamShare('growth')).toBeLessThan(teamShare('payments') / 2);
    await ts.close();
  });

  it('has answered and unanswered pull request surveys, Copilot usage days and AI feedback with a clear pattern', async () => {
    const merged = new Map(bundle.workItems.filter((w) => w.mergedAt !== undefined).map((w) => [w.id, w]));
    const authors = bundle.surveyResponses.filter((r) => r.role === 'author');
    const reviewers = bundle.surveyResponses.filter((r) => r.role === 'reviewer');
    expect(authors.length).toBeGreaterThan(20);
    expect(reviewers.length).toBeGreaterThan(20);
    expect(new Set(authors.map((r) => r.assisted))).toEqual(new Set(['none', 'partly', 'mostly', 'agent']));
    for (const answer of bundle.surveyResponses) {
      const pr = merged.get(answer.pullRequest)!;
      expect(Date.parse(answer.respondedAt)).toBeGreaterThan(Date.parse(pr.mergedAt!));
      if (answer.role === 'author') expect(answer.person).toBe(pr.author);
      else expect(pr.reviews!.map((r) => r.reviewer)).toContain(answer.person);
    }
    // Surveyed PRs whose author never answered, and reviewers who did not.
    const answered = new Set(authors.map((r) => r.pullRequest));
    const surveyed = new Set(bundle.surveyResponses.map((r) => r.pullRequest));
    expect([...surveyed].some((id) => !answered.has(id))).toBe(true);
    expect([...merged.values()].some((pr) => pr.team === 'payments' && !surveyed.has(pr.id))).toBe(true);

    const copilot = bundle.aiUsage.filter((u) => u.tool === 'copilot');
    const users = new Set(copilot.flatMap((u) => (u.person ? [u.person] : [])));
    expect(users.size).toBeGreaterThan(bundle.people.length * 0.3);
    expect(users.size).toBeLessThan(bundle.people.length);
    expect(copilot.filter((u) => u.person === undefined && u.team === undefined).length).toBeGreaterThan(40);
    for (const day of copilot) expect(day.acceptances).toBeLessThanOrEqual(day.codeGenerations);

    const ts = await createTeamState({ database: ':memory:', clock: () => now });
    await ts.import(bundle);
    const { patterns } = await ts.feedback.patterns();
    expect(patterns[0]).toMatchObject({ category: 'missing_tests', repository: 'acme/payments-api', pathPattern: 'services/payments/**' });
    expect(patterns[0]!.count).toBeGreaterThanOrEqual(4);
    expect(patterns[0]!.people).toBeGreaterThanOrEqual(3);
    expect(patterns.length).toBeGreaterThan(3);
    const rules = await ts.feedback.suggestRules({ repository: 'acme/payments-api', format: 'claude' });
    expect(rules.diff).toContain('+## Lessons from AI feedback');
    await ts.close();
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
