import { type CapacityQueryRunner, planFigures, type SignalDetector, sprintsStarted, sprintWindow } from '@teamstate/core';

const DAY = 86_400_000;

/** Active sprints that started with more committed than the team's capacity plan's 85th percentile. */
export const sprintOvercommitted: SignalDetector = {
  specificationVersion: 'v1',
  kind: 'sprint.overcommitted',
  title: 'Sprint overcommitted',
  description:
    'An active sprint that started in the last `days` days whose committed items are above the 85th percentile of the items its team finishes in it (`teamstate capacity`: the team’s items per present person in the 12 weeks before, times its available days).',
  defaults: { days: 14 },
  // Reads the sprints and their commitments, the team's members and their finished items (`planFigures`), and their
  // absences, which have no change counter: time-driven (a sprint's age, the 12 weeks before it), so it runs again
  // whenever the refresh's now moves.
  incremental: { reads: ['sprints', 'sprint_committed_items', 'memberships', 'work_items'], drivenBy: 'time' },
  async detect(db, ctx) {
    const now = ctx.now.getTime();
    const query: CapacityQueryRunner = (text, args) => db.all({ text, args });
    const sprints = await sprintsStarted(query, ctx.workspace, now - 31 * DAY, now + 1);
    const out = [];
    for (const sprint of sprints) {
      if (now - sprint.start_at > Number(ctx.settings(sprint.team).days) * DAY || sprint.committed === 0) continue;
      const timeZone = ctx.workingHours.timeZone;
      const { from, to } = sprintWindow(sprint, timeZone);
      const plan = await planFigures(query, ctx.workspace, {
        ...{ team: sprint.team, from, to, committed: sprint.committed, without: [], add: 0 },
        ...{ simulations: 2_000, seed: 1, today: from, timeZone },
      });
      if (plan.verdict !== 'over') continue;
      out.push({
        severity: sprint.committed > plan.throughput.p85 * 1.5 ? ('critical' as const) : ('warning' as const),
        subject: { type: 'sprint' as const, id: sprint.id },
        team: sprint.team,
        title: `${sprint.name} started with ${sprint.committed} items committed; the team finishes about ${plan.throughput.p50} in it (at most ${plan.throughput.p85} in 85 % of runs)`,
        evidence: {
          sprint: sprint.id,
          committed: sprint.committed,
          throughput: plan.throughput,
          availableDays: plan.people.reduce((sum, p) => sum + p.availableDays, 0),
          window: { from, to },
        },
      });
    }
    return out;
  },
};
