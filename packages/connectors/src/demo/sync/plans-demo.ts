import type { Absence, Bundle, Goal, Person, WorkItem } from '@teamstate/core';

// What the demo organisation carries for plans (docs/plans.md): a goal per team for the current quarter linked to its
// epics, two people who joined recently (with pull requests since they joined and starter issues to pick), and
// absences ahead, so goals progress, forecasts and onboarding show real content. Derived from the generated records
// with no random draws, so the rest of the organisation is unchanged.

const DAY = 86_400_000;
const quarterOf = (at: Date) => `${at.getUTCFullYear()}-Q${Math.floor(at.getUTCMonth() / 3) + 1}`;
const dayOf = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/**
 * Adds `goals`, `absences`, two recent joiners and starter issues to a generated organisation. `lateWorkers` (who keep
 * late hours) are never made joiners: their earlier pull requests would go to a teammate who works office hours.
 */
export function withPlans(bundle: Bundle, now: Date, lateWorkers: ReadonlySet<string> = new Set()): Bundle {
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  const period = quarterOf(now);
  const epicsOf = (team: string) => bundle.workItems.filter((item) => item.kind === 'epic' && item.team === team).map((item) => item.key);
  const goals: Goal[] = bundle.teams.flatMap((team) => {
    const epics = epicsOf(team.id);
    if (epics.length === 0) return [];
    return [
      {
        id: `${team.id}-${period.toLowerCase()}`,
        title: `${team.name}: reliable and on the roadmap`,
        team: team.id,
        period,
        keyResults: [
          {
            id: 'cycle-time',
            title: 'Pull requests merge within two days',
            metric: { id: 'pr_cycle_time', target: 48, direction: 'down' },
          },
          { id: 'throughput', title: 'Ship 60 pull requests', metric: { id: 'throughput', target: 60, direction: 'up' } },
        ],
        links: epics.map((ref) => ({ kind: 'epic' as const, ref })),
      },
    ];
  });

  // The first team's two last members (but the one who works late) joined recently: 30 and 12 days ago. Their joining
  // is declared, and only the pull requests they opened and reviewed since then stay theirs (earlier ones go to a
  // teammate who keeps office hours, and their survey answers on them go).
  const first = bundle.teams[0];
  const members = first ? bundle.people.filter((p) => p.teams?.includes(first.id)) : [];
  const joiners = members.length >= 4 ? members.filter((p) => !lateWorkers.has(p.id)).slice(-2) : [];
  const joinedAt = new Map(joiners.map((p, i) => [p.id, today - (i === 0 ? 30 : 12) * DAY + 9 * 3_600_000]));
  const stand = members[0]?.id;
  const people: Person[] = bundle.people.map((p) =>
    joinedAt.has(p.id) ? { ...p, joinedAt: new Date(joinedAt.get(p.id)!).toISOString() } : p,
  );
  let starters = 0;
  const workItems: WorkItem[] = bundle.workItems.map((item) => {
    let next = item;
    const joined = item.author ? joinedAt.get(item.author) : undefined;
    if (joined !== undefined && Date.parse(item.createdAt) < joined && stand) {
      // The team's first member who keeps office hours and did not review it (their review is no self-review).
      const reviewers = new Set((item.reviews ?? []).map((r) => r.reviewer));
      const author = members.find((p) => !joinedAt.has(p.id) && !lateWorkers.has(p.id) && !reviewers.has(p.id))?.id ?? stand;
      next = { ...next, author };
    }
    // Their reviews from before they joined go to a teammate who keeps office hours and is neither the author nor
    // already a reviewer (dropping them would leave merged pull requests without their approval).
    const early = (r: { reviewer: string; submittedAt: string }) =>
      joinedAt.has(r.reviewer) && Date.parse(r.submittedAt) < joinedAt.get(r.reviewer)!;
    if (next.reviews?.some(early)) {
      const taken = new Set([next.author, ...next.reviews.filter((r) => !early(r)).map((r) => r.reviewer)]);
      const substitute = members.find((p) => !joinedAt.has(p.id) && !lateWorkers.has(p.id) && !taken.has(p.id))?.id;
      next = {
        ...next,
        reviews: next.reviews.flatMap((r) => (!early(r) ? [r] : substitute ? [{ ...r, reviewer: substitute }] : [])),
      };
    }
    // Two open issues of the first team are left unassigned and labelled as good first issues.
    if (
      first &&
      starters < 2 &&
      item.team === first.id &&
      item.kind !== 'pull_request' &&
      item.kind !== 'epic' &&
      item.statusCategory === 'todo'
    ) {
      starters++;
      next = { ...next, labels: [...(next.labels ?? []), 'good first issue'], assignees: [] };
    }
    return next;
  });
  // A week's holiday ahead for two people of the first team, and one last month.
  const absences: Absence[] =
    members.length >= 3
      ? [
          { person: members[1]!.id, from: dayOf(today + 7 * DAY), to: dayOf(today + 11 * DAY) },
          { person: members[2]!.id, from: dayOf(today + 14 * DAY), to: dayOf(today + 25 * DAY) },
          { person: members[1]!.id, from: dayOf(today - 30 * DAY), to: dayOf(today - 26 * DAY) },
        ]
      : [];
  // A survey answer stays only where its person is still the pull request's author, or one of its reviewers.
  const byId = new Map(workItems.map((item) => [item.id, item]));
  const surveyResponses = bundle.surveyResponses.filter((answer) => {
    if (!joinedAt.has(answer.person)) return true;
    const pr = byId.get(answer.pullRequest);
    return answer.role === 'author' ? pr?.author === answer.person : (pr?.reviews ?? []).some((r) => r.reviewer === answer.person);
  });
  return { ...bundle, people, workItems, surveyResponses, goals, absences };
}
