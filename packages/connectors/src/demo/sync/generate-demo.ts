import type { Bundle, Person } from '@teamstate/core';
import { BUNDLE_FORMAT } from '@teamstate/core';
import type { DemoOptions } from '../options.js';
import { aiFeedback, copilotUsage, type PracticeInput, surveyResponses } from './ai-practice.js';
import { dailyReports } from './daily-reports.js';
import { DAY, type DemoContext } from './demo-context.js';
import { deployRepositories } from './demo-deployments.js';
import { withPagerDutyIncidents } from './demo-incidents.js';
import { aiHabits, hirePeople, lateWorkersOf, planTeams } from './demo-people.js';
import { type DemoPullRequests, openPullRequests } from './demo-pull-requests.js';
import { checkTimeZones, type DemoShape, type DemoTeamSlot, demoShapes } from './demo-shape.js';
import { type DemoSprints, planSprints } from './demo-sprints.js';
import { withInsights } from './insights-demo.js';
import { linkPullRequests } from './link-pull-requests.js';
import { withPlans } from './plans-demo.js';
import { Random } from './random.js';
import { momentOf, OFFICE_HOURS } from './working-time.js';

/**
 * Generates the demo organisation as a `teamstate.bundle/v1` document: teams, people with GitHub, Jira
 * and Slack accounts, repositories, pull requests with reviews, deployments (production and staging,
 * some failed), incidents, Jira sprints with story points and status transitions (waiting for review, on hold and
 * blocked far longer than worked on, as real issues are), plus stale PRs, PRs waiting for review, blocked and overdue
 * tickets, an aging ticket, an overloaded person and one person per team who works late, so every signal has
 * something to find. AI helps a growing share of the pull requests (commit trailers, Copilot's coding agent, labels,
 * Claude Code's footer); people file daily reports, answer pull request surveys, use Copilot and report what AI
 * assistants got wrong (a team generated on its own, `slot`, leaves those four lists empty). People work in office
 * hours (09:00-17:00 UTC, Monday to Friday), the late one from 16:00 to midnight. Everything happens before the UTC
 * midnight starting `now`'s day.
 */
export function generateDemo(options: DemoOptions, now: Date, slot?: DemoTeamSlot): Bundle {
  const shape: DemoShape = slot ? { ...slot.shape, teams: 1 } : demoShapes[options.scale ?? 'default'];
  const firstTeam = slot?.team ?? 0;
  const seed = options.seed ?? 42;
  // A team generated on its own draws from its own sequence, so any team can be made without the others.
  const rng = new Random(slot ? (seed * 100_003 + slot.team) >>> 0 : seed);
  // What was added to the organisation later (AI help, daily reports, surveys, tool usage, feedback) draws from
  // sequences of its own, one each, so the pull requests, deployments and incidents stay as they were for a seed and
  // day, and a change to one of them leaves the others as they were.
  const stream = (n: number) => new Random((Math.imul(seed, 0x9e3779b1) + 7_919 * (firstTeam + 1) + 104_729 * n) >>> 0);
  const later = stream(0);
  const end = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  const start = end - shape.days * DAY;
  checkTimeZones(slot?.timeZones);
  // Each step below draws from `rng` (or `later`) in turn: their order is the organisation's, for a seed and day.
  const teams = planTeams(shape, firstTeam);
  const { people, workingHours } = hirePeople(rng, shape, firstTeam, teams, slot?.timeZones);
  const hoursOf = (person: string) => workingHours.get(person) ?? OFFICE_HOURS;
  const workTime = (day: number, person: string) => {
    const hours = hoursOf(person);
    return momentOf(day + hours.start + rng.between(0, hours.end - hours.start), hours);
  };
  const ctx: DemoContext = { shape, rng, later, start, end, teams, hoursOf, workTime };
  const habits = aiHabits(later, teams, firstTeam);
  const prs = openPullRequests(ctx, habits);
  const { deployments, incidents } = deployRepositories(ctx, prs.byRepository, slot ? teams[0]!.id : undefined);
  const jira = planSprints(ctx);
  const workItems = [...linkPullRequests(prs.workItems, jira.workItems), ...jira.workItems];
  const practice: Omit<PracticeInput, 'rng'> = {
    from: end - (shape.reportDays ?? shape.days) * DAY,
    end,
    teams,
    workItems,
    aiHelped: prs.aiHelped,
    habits,
    hoursOf,
  };
  const generated: Bundle = {
    format: BUNDLE_FORMAT,
    teams: teams.map(({ id, name }) => ({ id, name })),
    people,
    repositories: teams.flatMap((team) => team.repositories.map((id) => ({ id, team: team.id }))),
    workItems,
    sprints: jira.sprints,
    deployments,
    incidents,
    // A team generated on its own (the company bundle) leaves them out: that file writes reports of its own.
    ...(slot ? { reports: [], aiUsage: [], surveyResponses: [], aiFeedback: [] } : writtenAndSaid(practice, stream, people, prs, jira)),
    risks: [],
    goals: [],
    absences: [],
    builds: [],
    oncalls: [],
    workItemLinks: [],
  };
  // Goals, recent joiners and absences (plans-demo.ts), and PagerDuty-style incidents, one caused by a bad deploy
  // (demo-incidents.ts), for the whole demo organisation, not one team of a company.
  return slot ? generated : withInsights(withPlans(withPagerDutyIncidents(generated, end), now, lateWorkersOf(teams, workingHours)));
}

/**
 * What people write and say: daily reports, pull request surveys, Copilot usage, feedback on AI assistants, each drawn
 * from a sequence of its own (`stream(1)` to `stream(4)`). Surveys add their answers to the pull requests' `ai`.
 */
function writtenAndSaid(
  practice: Omit<PracticeInput, 'rng'>,
  stream: (n: number) => Random,
  people: readonly Person[],
  prs: DemoPullRequests,
  jira: DemoSprints,
): Pick<Bundle, 'reports' | 'aiUsage' | 'surveyResponses' | 'aiFeedback'> {
  return {
    reports: dailyReports({
      ...practice,
      rng: stream(1),
      teams: practice.teams.map((team) => ({
        members: team.members,
        leadReviews: prs.pendingOnLead.get(team.id) ?? [],
        ...(jira.blockedTickets.has(team.id) ? { blocked: jira.blockedTickets.get(team.id)! } : {}),
      })),
      names: new Map(people.map((person) => [person.id, person.name])),
    }),
    aiUsage: copilotUsage(
      { ...practice, rng: stream(2) },
      people.map((person) => person.id),
    ),
    surveyResponses: surveyResponses({ ...practice, rng: stream(3) }),
    aiFeedback: aiFeedback({ ...practice, rng: stream(4) }),
  };
}
