import { demo } from '@teamstate/connectors/demo';
import { createTeamState } from '@teamstate/core';
import { builtinMetrics } from '@teamstate/metrics';
import { describe, expect, it } from 'vitest';

// The demo organisation shows plans with real content: goals linked to epics, two recent joiners, absences ahead.

const now = new Date('2026-11-21T10:30:00Z');

describe('the demo organisation’s plans', () => {
  it('has goals with linked work, two recent joiners with plans, and absences that lower a forecast', async () => {
    const ts = await createTeamState({ database: ':memory:', clock: () => now, connectors: [demo()], metrics: builtinMetrics });
    try {
      await ts.sync();
      const joiners = await ts.onboarding.joiners();
      expect(joiners).toHaveLength(2);
      const team = { id: (await ts.onboarding.plan(joiners[0]!.id)).teams[0]! };
      const progress = await ts.goals.progress({ team: team.id, period: '2026-Q4' });
      expect(progress.goals).toHaveLength(1);
      const { work, keyResults } = progress.goals[0]!;
      expect(work.done.count + work.inProgress.count + work.left.count).toBeGreaterThan(0);
      expect(keyResults.map((kr) => kr.metric?.value)).not.toContain(null);
      expect(progress.allocation.mergedPullRequests.total).toBeGreaterThan(0);

      for (const joiner of joiners) {
        const plan = await ts.onboarding.plan(joiner.id);
        expect(plan.joinedFrom).toBe('joinedAt');
        expect(plan.people.length).toBeGreaterThan(0);
        expect(plan.starterIssues.map((s) => s.why)).toContain('good first issue');
      }
      expect((await ts.onboarding.plan(joiners[1]!.id)).progress.firstPullRequest).not.toBeNull();

      const forecast = await ts.forecast({ team: team.id, items: 20 });
      expect(forecast.absentDays).toBeGreaterThan(0);
      expect(forecast.status).toBe('ok');
    } finally {
      await ts.close();
    }
  });
});
