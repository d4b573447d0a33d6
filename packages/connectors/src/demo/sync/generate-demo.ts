import type { Bundle, Deployment, Incident, Person, Sprint, Team, WorkItem } from '@teamstate/core';
import { BUNDLE_FORMAT } from '@teamstate/core';
import type { DemoOptions } from '../options.js';
import { type AiHabit, type AiHelp, aiHabit, aiHelp, aiShare } from './ai-help.js';
import { aiFeedback, copilotUsage, type PracticeInput, surveyResponses } from './ai-practice.js';
import { dailyReports, type ReportingTeam } from './daily-reports.js';
import { withPagerDutyIncidents } from './demo-incidents.js';
import { defaultTeams, domains, firstNames, issueTopics, lastNames, prTopics, prVerbs } from './names.js';
import { withPlans } from './plans-demo.js';
import { Random } from './random.js';
import { addWorking, isWeekday, momentOf, nextWorking, OFFICE_HOURS, previousWorking, WORKDAY, type WorkingDay } from './working-time.js';

/**
 * The demo's Jira workflow. Waiting, On Hold and Blocked are in-progress statuses where nobody works on the issue
 * (the default waiting statuses of `flow_efficiency`): the queue before a review, an issue put aside for something
 * more urgent, a dependency outside the team.
 */
const status = {
  todo: { name: 'To Do', category: 'todo' },
  progress: { name: 'In Progress', category: 'in_progress' },
  blocked: { name: 'Blocked', category: 'in_progress' },
  onHold: { name: 'On Hold', category: 'in_progress' },
  waiting: { name: 'Waiting', category: 'in_progress' },
  review: { name: 'In Review', category: 'in_progress' },
  done: { name: 'Done', category: 'done' },
} as const;
type Status = (typeof status)[keyof typeof status];

/**
 * An issue's way through the workflow once started: each status with how long (working time) it stays there, the
 * last one Done. Like real teams', the demo's issues wait far longer than they are worked on: a flow efficiency of
 * 15 to 40%. Every draw is made whatever the way, so one issue's way never shifts the next issue's.
 */
function issueFlow(rng: Random): { to: Status; stay: number }[] {
  const work = rng.skewed(0.45 * WORKDAY);
  const [onHold, hold, resumeHold] = [rng.chance(0.3), rng.skewed(1.45 * WORKDAY, 1.1), rng.skewed(0.25 * WORKDAY)];
  const [blocked, block, resumeBlock] = [rng.chance(0.12), rng.skewed(1.2 * WORKDAY, 1.2), rng.skewed(0.25 * WORKDAY)];
  const [queue, review] = [rng.skewed(1.75 * WORKDAY, 1.1), rng.skewed(0.25 * WORKDAY)];
  const [changes, rework, requeue, rereview] = [
    rng.chance(0.3),
    rng.skewed(0.25 * WORKDAY),
    rng.skewed(0.65 * WORKDAY),
    rng.skewed(0.15 * WORKDAY),
  ];
  return [
    { to: status.progress, stay: work },
    ...(onHold
      ? [
          { to: status.onHold, stay: hold },
          { to: status.progress, stay: resumeHold },
        ]
      : []),
    ...(blocked
      ? [
          { to: status.blocked, stay: block },
          { to: status.progress, stay: resumeBlock },
        ]
      : []),
    { to: status.waiting, stay: queue },
    { to: status.review, stay: review },
    ...(changes
      ? [
          { to: status.progress, stay: rework },
          { to: status.waiting, stay: requeue },
          { to: status.review, stay: rereview },
        ]
      : []),
    { to: status.done, stay: 0 },
  ];
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const iso = (ms: number) => new Date(ms).toISOString();
/** How much each team (by index, in turn) uses AI assistants, relative to the organisation. */
const TEAM_AI_ADOPTION = [1, 0.9, 0.2] as const;
/** Each team's member (by index) who works late, and the hours they keep. */
const LATE_WORKER = 5;
const LATE_HOURS: WorkingDay = { start: 16 * HOUR, end: 24 * HOUR };

interface TeamPlan extends Team {
  project: string;
  repositories: string[];
  members: string[];
}

/** How big and busy a generated organisation is. */
export interface DemoShape {
  teams: number;
  peoplePerTeam: readonly number[];
  /** 0: the three named default teams with their repositories. */
  reposPerTeam: number;
  days: number;
  prsPerDevWeek: number;
  issuesPerDevSprint: number;
  /** Chance of a staging and a production deployment per repository and weekday. */
  stagingPerDay: number;
  productionPerDay: number;
  /** Days (the last ones) of daily reports and Copilot usage; default all `days`. */
  reportDays?: number;
}

const shapes = {
  default: {
    teams: 3,
    peoplePerTeam: [7, 7, 6],
    reposPerTeam: 0,
    days: 90,
    prsPerDevWeek: 1.3,
    issuesPerDevSprint: 2.2,
    stagingPerDay: 0.85,
    productionPerDay: 0.7,
  },
  large: {
    teams: 50,
    peoplePerTeam: [20],
    reposPerTeam: 2,
    days: 365,
    prsPerDevWeek: 1.25,
    issuesPerDevSprint: 2,
    stagingPerDay: 0.85,
    productionPerDay: 0.7,
    reportDays: 30,
  },
} as const satisfies Record<string, DemoShape>;

/**
 * One team of a larger organisation generated team by team ({@link generateDemo}'s third argument): its index in
 * the organisation (which names it and its people) and the shape of the organisation. Deployment and incident ids
 * carry the team's id so that teams generated apart never collide.
 */
export interface DemoTeamSlot {
  shape: DemoShape;
  team: number;
  /**
   * Each member's time zone (an IANA name), in member order: a member keeps their hours in their own time, summer
   * time included (and the bundle says which zone). Members past the end of the list, or all without it: UTC.
   */
  timeZones?: readonly string[];
}

/** Whether `zone` names a time zone this runtime knows (an IANA name such as "Europe/Berlin"). */
function knownZone(zone: unknown): boolean {
  if (typeof zone !== 'string' || zone === '') return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

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
  const shape: DemoShape = slot ? { ...slot.shape, teams: 1 } : shapes[options.scale ?? 'default'];
  const firstTeam = slot?.team ?? 0;
  // A team generated on its own draws from its own sequence, so any team can be made without the others.
  const rng = new Random(slot ? ((options.seed ?? 42) * 100_003 + slot.team) >>> 0 : (options.seed ?? 42));
  // What was added to the organisation later (AI help, daily reports, surveys, tool usage, feedback) draws from
  // sequences of its own, one each, so the pull requests, deployments and incidents stay as they were for a seed and
  // day, and a change to one of them leaves the others as they were.
  const stream = (n: number) =>
    new Random((Math.imul(options.seed ?? 42, 0x9e3779b1) + 7_919 * ((slot?.team ?? 0) + 1) + 104_729 * n) >>> 0);
  const later = stream(0);
  const end = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  const start = end - shape.days * DAY;
  // People work in office hours, on weekdays: what they do (open, review and merge pull requests, move their issues)
  // happens then, and a wait ("four hours later") counts working time only. One person per team works late instead
  // (the team's sixth member: person.after_hours has someone to find, and flags nobody else).
  slot?.timeZones?.forEach((zone, i) => {
    if (!knownZone(zone))
      throw new RangeError(`timeZones[${i}]: expected an IANA time zone such as "Europe/Berlin", got ${JSON.stringify(zone)}`);
  });
  const workingHours = new Map<string, WorkingDay>();
  const hoursOf = (person: string) => workingHours.get(person) ?? OFFICE_HOURS;
  // A moment of `day` (a UTC midnight) in the person's hours of their own day of that date.
  const workTime = (day: number, person: string) => {
    const hours = hoursOf(person);
    return momentOf(day + hours.start + rng.between(0, hours.end - hours.start), hours);
  };

  // --- teams, people, repositories
  const teams: TeamPlan[] = [];
  for (let t = firstTeam; t < firstTeam + shape.teams; t++) {
    const base = defaultTeams[t];
    if (base && shape.reposPerTeam === 0) {
      teams.push({ id: base.id, name: base.name, project: base.project, repositories: [...base.repositories], members: [] });
    } else {
      const domain = domains[t % domains.length]!;
      const n = Math.floor(t / domains.length) + 1;
      const id = `${domain.toLowerCase()}-${n}`;
      const project = `${domain.slice(0, 3).toUpperCase()}${n}`;
      const repositories = Array.from({ length: shape.reposPerTeam }, (_, r) => `acme/${id}-${['api', 'web', 'worker'][r % 3]}`);
      teams.push({ id, name: `${domain} ${n}`, project, repositories, members: [] });
    }
  }
  const people: Person[] = [];
  let personIndex = firstTeam * (shape.peoplePerTeam[0] ?? 0);
  teams.forEach((team, t) => {
    const size = shape.peoplePerTeam[firstTeam + t] ?? shape.peoplePerTeam[0]!;
    for (let i = 0; i < size; i++, personIndex++) {
      const first = firstNames[personIndex % firstNames.length]!;
      const last = lastNames[(personIndex * 7 + Math.floor(personIndex / firstNames.length)) % lastNames.length]!;
      const unique = personIndex < firstNames.length ? '' : `-${personIndex}`;
      const id = `${first}-${last}${unique}`.toLowerCase();
      const login = `${first}${last[0]}${unique.replace('-', '')}`.toLowerCase();
      people.push({
        id,
        name: `${first} ${last}`,
        email: `${first}.${last}${unique.replace('-', '')}@acme.example`.toLowerCase(),
        teams: [team.id],
        accounts: [
          { provider: 'github', id: String(1_000_000 + personIndex * 37), login },
          { provider: 'jira', id: `5f${rng.hex(22)}`, login: `${first} ${last}` },
          { provider: 'slack', id: `U0${(4_000_000 + personIndex * 131).toString(36).toUpperCase()}`, login },
        ],
      });
      team.members.push(id);
      const zone = slot?.timeZones?.[i];
      if (zone) people.at(-1)!.timeZone = zone;
      workingHours.set(id, { ...(i === LATE_WORKER ? LATE_HOURS : OFFICE_HOURS), ...(zone ? { zone } : {}) });
    }
  });
  const repositories = teams.flatMap((team) => team.repositories.map((id) => ({ id, team: team.id })));
  // Each person's AI tool and how much they use it: teams differ (in the default demo payments uses AI most, platform
  // a little less, growth has barely started).
  const habits = new Map<string, AiHabit>(
    teams.flatMap((team, t) => team.members.map((member) => [member, aiHabit(later, TEAM_AI_ADOPTION[(firstTeam + t) % 3]!)])),
  );

  // --- pull requests
  const workItems: WorkItem[] = [];
  const prsByRepository = new Map<string, WorkItem[]>();
  /** How AI helped each pull request it helped (by work item id). */
  const aiHelped = new Map<string, AiHelp>();
  let prNumber = 0;
  // In the last default team its lead does most of the reviews (a review load imbalance to find);
  // the mapping uses no extra random draws, so the rest of the organisation is unchanged.
  const leadReviews = (team: TeamPlan) => shape.reposPerTeam === 0 && team === teams[teams.length - 1];
  const teammate = (team: TeamPlan, not: string) => {
    for (;;) {
      let candidate = rng.pick(team.members);
      if (leadReviews(team) && team.members.indexOf(candidate) <= 3 && team.members[0] !== not) candidate = team.members[0]!;
      if (candidate !== not || team.members.length === 1) return candidate;
    }
  };
  const addPullRequest = (
    team: TeamPlan,
    author: string,
    created: number,
    kind: 'normal' | 'stale' | 'awaiting' | 'changes_requested',
  ): WorkItem => {
    prNumber++;
    const repository = rng.pick(team.repositories);
    const number = prNumber;
    const topic = `${rng.pick(prVerbs)} ${rng.pick(prTopics)}`;
    const revert = kind === 'normal' && rng.chance(0.02);
    const hotfix = !revert && kind === 'normal' && rng.chance(0.04);
    // AI helped a growing share of pull requests: they are coded faster, are larger, and get changes requested more.
    const habit = habits.get(author)!;
    const help = aiHelp(later, aiShare((created - start) / (end - start), habit), habit, kind === 'normal');
    const [extraRound, extraWait] = [later.chance(0.3), later.skewed(6 * HOUR, 1.2)];
    const firstCommit = created - rng.skewed(6 * HOUR, 1.2) * (help ? 0.6 : 1);
    const draft = kind === 'normal' && rng.chance(0.15);
    const ready = draft ? created + rng.skewed(5 * HOUR) : undefined;
    const readyOrCreated = ready ?? created;
    const reviews: WorkItem['reviews'] = [];
    let mergedAt: number | undefined;
    let closedAt: number | undefined;
    let last = readyOrCreated;
    // The team's first member reviews the stale PR and the one waiting on changes: two reviews pending on them, on top
    // of their work in progress (person.overloaded).
    const lead = team.members[0] !== author ? team.members[0]! : author;
    if (kind === 'stale') {
      last = addWorking(created, rng.skewed(6 * HOUR), hoursOf(lead));
      reviews.push({ reviewer: lead, state: 'commented', submittedAt: iso(last) });
    } else if (kind === 'changes_requested') {
      // About six days ago: more than 3 working days whatever the weekday.
      last = previousWorking(end - rng.between(5.5, 6.5) * DAY, hoursOf(lead));
      reviews.push({ reviewer: lead, state: 'changes_requested', submittedAt: iso(last) });
    } else if (kind === 'normal') {
      if (rng.chance(0.06)) {
        closedAt = created + rng.skewed(40 * HOUR);
        last = closedAt;
      } else {
        const reviewer = teammate(team, author);
        let at = addWorking(readyOrCreated, rng.skewed(4 * HOUR, 1.3), hoursOf(reviewer));
        if (rng.chance(0.03))
          reviews.push({ reviewer: author, state: 'commented', submittedAt: iso(addWorking(readyOrCreated, HOUR, hoursOf(author))) });
        const firstRound = rng.next();
        if (firstRound < 0.3) {
          reviews.push({ reviewer, state: 'changes_requested', submittedAt: iso(at) });
          at = addWorking(at, rng.skewed(10 * HOUR, 1.2), hoursOf(reviewer));
        } else if (firstRound < 0.5) {
          const commenter = teammate(team, author);
          reviews.push({ reviewer: commenter, state: 'commented', submittedAt: iso(nextWorking(at, hoursOf(commenter))) });
          at = addWorking(at, rng.skewed(3 * HOUR), hoursOf(reviewer));
        }
        if (help && extraRound) {
          reviews.push({ reviewer, state: 'changes_requested', submittedAt: iso(at) });
          at = addWorking(at, extraWait, hoursOf(reviewer));
        }
        reviews.push({ reviewer, state: 'approved', submittedAt: iso(at) });
        mergedAt = addWorking(at, rng.skewed(2 * HOUR, 1.2), hoursOf(author));
        last = mergedAt;
      }
    }
    // Whatever would happen after the anchor has not happened yet.
    const seen = reviews.filter((r) => Date.parse(r.submittedAt) < end);
    if (mergedAt !== undefined && mergedAt >= end) mergedAt = undefined;
    if (closedAt !== undefined && closedAt >= end) closedAt = undefined;
    const updated = Math.min(last, end - 1);
    const labels = hotfix
      ? ['hotfix']
      : revert
        ? ['revert']
        : rng.chance(0.3)
          ? [rng.pick(['backend', 'frontend', 'dependencies', 'tech-debt'])]
          : [];
    labels.push(...(help?.labels ?? []));
    const size = help ? 1.3 : 1;
    const large = (kind === 'normal' && rng.chance(0.06)) || kind === 'awaiting';
    const item: WorkItem = {
      id: `gh-pr-${repository}#${number}`,
      source: 'github',
      kind: 'pull_request',
      key: `${repository}#${number}`,
      title: revert ? `Revert "${topic}"` : topic,
      state: mergedAt !== undefined ? 'merged' : closedAt !== undefined ? 'closed' : 'open',
      team: team.id,
      repository,
      // Copilot's coding agent opens its pull requests itself (a bot is no person): the person who asked is assigned.
      ...(help?.agent ? { assignees: [author] } : { author }),
      createdAt: iso(created),
      updatedAt: iso(updated),
      firstCommitAt: iso(firstCommit),
      ...(ready !== undefined && ready < end ? { readyAt: iso(ready) } : {}),
      ...(mergedAt !== undefined ? { mergedAt: iso(mergedAt) } : {}),
      ...(closedAt !== undefined ? { closedAt: iso(closedAt) } : {}),
      draft: draft && (ready === undefined || ready >= end),
      labels,
      additions: Math.round((large ? rng.between(450, 1800) : rng.skewed(70, 1.3)) * size),
      deletions: Math.round((large ? rng.between(50, 600) : rng.skewed(25, 1.3)) * size),
      reviews: seen,
      headSha: rng.hex(40),
      url: `https://github.com/${repository}/pull/${number}`,
      body: `${topic}.\n\nTesting: unit tests added.${help?.body ? `\n\n${help.body}` : ''}`,
      ...(help?.ai ? { ai: help.ai } : {}),
    };
    workItems.push(item);
    if (help) aiHelped.set(item.id, help);
    const list = prsByRepository.get(repository);
    if (list) list.push(item);
    else prsByRepository.set(repository, [item]);
    return item;
  };
  /** Per team (by id): the pull requests its lead's reviews are pending on. */
  const pendingOnLead = new Map<string, string[]>();
  for (const team of teams) {
    for (const author of team.members) {
      for (let day = start; day < end; day += DAY) {
        if (isWeekday(day) && rng.chance(shape.prsPerDevWeek / 5)) {
          // West of UTC, the last day's evening is past the anchor: not opened yet.
          const created = workTime(day, author);
          if (created < end) addPullRequest(team, author, created, 'normal');
        }
      }
    }
    // Situations the signals should find, near the anchor.
    const member = (m: number) => team.members[m % team.members.length]!;
    const [stale, awaiting, changed] = [member(1), member(2), member(3)];
    const stalePr = addPullRequest(team, stale, previousWorking(end - rng.between(12, 20) * DAY, hoursOf(stale)), 'stale');
    // Opened about six days ago (at least 3 working days whatever the weekday) and never reviewed.
    addPullRequest(team, awaiting, previousWorking(end - rng.between(5.5, 6.5) * DAY, hoursOf(awaiting)), 'awaiting');
    const changedPr = addPullRequest(
      team,
      changed,
      previousWorking(end - rng.between(6.6, 7) * DAY, hoursOf(changed)),
      'changes_requested',
    );
    pendingOnLead.set(
      team.id,
      [stalePr, changedPr].filter((pr) => pr.author !== team.members[0]).map((pr) => pr.key),
    );
  }

  // --- deployments and incidents
  const deployments: Deployment[] = [];
  const incidents: Incident[] = [];
  let deployNumber = 0;
  let incidentNumber = 0;
  const idOf = (kind: 'deploy' | 'inc', n: number) => (slot ? `${kind}-${teams[0]!.id}-${n}` : `${kind}-${n}`);
  for (const [repository, prs] of prsByRepository) {
    const merged = prs.filter((pr) => pr.mergedAt !== undefined).sort((a, b) => a.mergedAt!.localeCompare(b.mergedAt!));
    let next = 0;
    let lastProduction: Deployment | undefined;
    for (let day = start; day < end; day += DAY) {
      if (!isWeekday(day)) continue;
      if (rng.chance(shape.stagingPerDay)) {
        const finished = day + 11 * HOUR + rng.between(0, 2 * HOUR);
        deployments.push({
          id: idOf('deploy', ++deployNumber),
          repository,
          environment: 'staging',
          status: rng.chance(0.92) ? 'success' : 'failure',
          startedAt: iso(finished - 6 * 60_000),
          finishedAt: iso(finished),
          sha: rng.hex(40),
        });
      }
      if (!rng.chance(shape.productionPerDay)) continue;
      const finished = day + 15 * HOUR + rng.between(0, 3 * HOUR);
      const failed = rng.chance(0.1);
      const shipped: string[] = [];
      if (!failed) {
        while (next < merged.length && Date.parse(merged[next]!.mergedAt!) <= finished - 10 * 60_000) shipped.push(merged[next++]!.id);
      }
      const deployment: Deployment = {
        id: idOf('deploy', ++deployNumber),
        repository,
        environment: 'production',
        status: failed ? 'failure' : 'success',
        startedAt: iso(finished - 9 * 60_000),
        finishedAt: iso(finished),
        sha: rng.hex(40),
        // Most deployments say which PRs they shipped; some do not, to exercise the heuristic mapping.
        ...(!failed && rng.chance(0.75) ? { pullRequests: shipped } : {}),
      };
      deployments.push(deployment);
      if (!failed) lastProduction = deployment;
      if (!failed && rng.chance(0.07)) {
        const created = finished + rng.skewed(3 * HOUR);
        const resolved = created + rng.skewed(4 * HOUR, 1.2);
        if (created < end) {
          incidents.push({
            id: idOf('inc', ++incidentNumber),
            title: `${rng.pick(['Elevated 5xx on', 'Latency spike in', 'Errors after deploy of', 'Degraded'])} ${repository.split('/')[1]}`,
            severity: rng.pick(['sev1', 'sev2', 'sev2', 'sev3', 'sev3']),
            createdAt: iso(created),
            ...(resolved < end ? { resolvedAt: iso(resolved) } : {}),
            repository,
            ...(rng.chance(0.7) ? { deployment: deployment.id } : {}),
          });
        }
      }
    }
    if (lastProduction && repository === repositories[0]?.id) {
      incidents.push({
        id: idOf('inc', ++incidentNumber),
        title: `Payment confirmations delayed after ${lastProduction.id}`,
        severity: 'sev2',
        createdAt: iso(Math.min(Date.parse(lastProduction.finishedAt) + 2 * HOUR, end - HOUR)),
        repository,
        deployment: lastProduction.id,
      });
    }
  }
  // The newest production deployment of the second repository failed: nothing has fixed it yet.
  const failing = repositories[1]?.id;
  if (failing) {
    const finished = end - 2 * HOUR;
    deployments.push({
      id: idOf('deploy', ++deployNumber),
      repository: failing,
      environment: 'production',
      status: 'failure',
      startedAt: iso(finished - 8 * 60_000),
      finishedAt: iso(finished),
      sha: rng.hex(40),
    });
  }
  incidents.push({
    id: idOf('inc', ++incidentNumber),
    title: 'Status page provider outage',
    severity: 'sev3',
    createdAt: iso(end - 20 * DAY),
    resolvedAt: iso(end - 20 * DAY + 3 * HOUR),
  });

  // --- Jira: epics, sprints and issues with status history
  const sprints: Sprint[] = [];
  // Two-week sprints, anchored so that the current one is always six days in, whatever the day.
  const currentSprintStart = end - 6 * DAY + 9 * HOUR;
  const firstSprintStart = currentSprintStart - Math.ceil((currentSprintStart - start) / (14 * DAY)) * 14 * DAY;
  /** Per team (by id): its ticket blocked on the vendor for days. */
  const blockedTickets = new Map<string, NonNullable<ReportingTeam['blocked']>>();
  for (const team of teams) {
    let issueNumber = 0;
    const epics = [0, 1].map((e) => {
      const key = `${team.project}-${++issueNumber}`;
      const epic: WorkItem = {
        id: `jira-${key}`,
        source: 'jira',
        kind: 'epic',
        key,
        title: `${team.name} ${e === 0 ? 'reliability' : 'roadmap'} epic`,
        state: 'In Progress',
        statusCategory: 'in_progress',
        team: team.id,
        assignees: [team.members[0]!],
        createdAt: iso(start - 10 * DAY),
        transitions: [{ at: iso(start - 9 * DAY), from: 'To Do', to: 'In Progress', fromCategory: 'todo', toCategory: 'in_progress' }],
      };
      workItems.push(epic);
      return key;
    });
    let sprintNumber = 0;
    const overloaded = team.members[0]!;
    for (let sprintStart = firstSprintStart; sprintStart < end + 14 * DAY; sprintStart += 14 * DAY) {
      sprintNumber++;
      const sprintEnd = sprintStart + 14 * DAY - 10 * HOUR;
      const state: Sprint['state'] = sprintStart >= end ? 'future' : sprintEnd >= end ? 'active' : 'closed';
      const sprintId = `sprint-${team.id}-${sprintNumber}`;
      const committed: string[] = [];
      const sprint: Sprint = {
        id: sprintId,
        name: `${team.name} Sprint ${sprintNumber}`,
        team: team.id,
        state,
        startAt: iso(sprintStart),
        endAt: iso(sprintEnd),
        ...(state === 'closed' ? { completedAt: iso(sprintEnd) } : {}),
        committedItems: committed,
      };
      sprints.push(sprint);
      for (const assignee of team.members) {
        // The team's first member carries too much work in the current sprint: seven items (`wip.over_limit`), and
        // with their two pending reviews nine things at once (`person.overloaded`).
        const overloadedNow = state === 'active' && assignee === overloaded;
        const count = overloadedNow
          ? 7
          : Math.max(0, Math.round(rng.between(shape.issuesPerDevSprint - 1.2, shape.issuesPerDevSprint + 1.2)));
        for (let n = 0; n < count; n++) {
          const key = `${team.project}-${++issueNumber}`;
          const addedMidSprint = !overloadedNow && state !== 'future' && rng.chance(0.15);
          const created = addedMidSprint ? sprintStart + rng.between(1, 6) * DAY : sprintStart - rng.between(1, 12) * DAY;
          if (created >= end) continue;
          if (!addedMidSprint) committed.push(`jira-${key}`);
          const transitions: NonNullable<WorkItem['transitions']> = [];
          let current = status.todo as Status;
          const move = (to: Status, at: number) => {
            if (at >= end) return false;
            transitions.push({ at: iso(at), from: current.name, to: to.name, fromCategory: current.category, toCategory: to.category });
            current = to;
            return true;
          };
          const hours = hoursOf(assignee);
          const at = addWorking(Math.max(created, sprintStart), rng.between(0, 3) * WORKDAY, hours);
          const flow = issueFlow(rng);
          if (state !== 'future') {
            if (overloadedNow) move(status.progress, previousWorking(Math.min(at, end - 2 * DAY), hours));
            else {
              let next = at;
              for (let step = 0; step < flow.length && move(flow[step]!.to, next); step++) next = addWorking(next, flow[step]!.stay, hours);
            }
          }
          const points = rng.pick([1, 2, 3, 3, 5, 5, 8]);
          const roll = rng.next();
          const kind = roll < 0.6 ? 'story' : roll < 0.85 ? 'bug' : 'task';
          const resolved = current === status.done ? transitions.at(-1)!.at : undefined;
          const due = rng.chance(0.2) ? sprintEnd : undefined;
          workItems.push({
            id: `jira-${key}`,
            source: 'jira',
            kind,
            key,
            title: `${rng.pick(issueTopics)}${kind === 'bug' ? ' (bug)' : ''}`,
            state: current.name,
            statusCategory: current.category,
            team: team.id,
            author: team.members[0]!,
            assignees: [assignee],
            createdAt: iso(created),
            updatedAt: iso(transitions.length > 0 ? Date.parse(transitions.at(-1)!.at) : created),
            ...(resolved ? { resolvedAt: resolved } : {}),
            ...(due !== undefined ? { dueAt: iso(due) } : {}),
            storyPoints: points,
            sprint: sprintId,
            transitions,
            flagged: current === status.blocked,
            ...(rng.chance(0.5) ? { parent: rng.pick(epics) } : {}),
            url: `https://acme.atlassian.net/browse/${key}`,
          });
        }
      }
      if (state === 'active') {
        // A ticket blocked for days and one past its due date, in every team's current sprint.
        const blockedKey = `${team.project}-${++issueNumber}`;
        const blockedBy = team.members[1 % team.members.length]!;
        const blockedSince = previousWorking(end - rng.between(3, 4) * DAY, hoursOf(blockedBy));
        blockedTickets.set(team.id, { person: blockedBy, key: blockedKey, since: blockedSince });
        committed.push(`jira-${blockedKey}`);
        workItems.push({
          id: `jira-${blockedKey}`,
          source: 'jira',
          kind: 'story',
          key: blockedKey,
          title: 'Integrate with the new card processor (waiting on vendor sandbox)',
          state: 'Blocked',
          statusCategory: 'in_progress',
          team: team.id,
          author: team.members[0]!,
          assignees: [blockedBy],
          createdAt: iso(sprintStart - 3 * DAY),
          updatedAt: iso(blockedSince),
          storyPoints: 5,
          sprint: sprintId,
          flagged: true,
          transitions: [
            {
              at: iso(previousWorking(blockedSince - 2 * DAY, hoursOf(blockedBy))),
              from: 'To Do',
              to: 'In Progress',
              fromCategory: 'todo',
              toCategory: 'in_progress',
            },
            { at: iso(blockedSince), from: 'In Progress', to: 'Blocked', fromCategory: 'in_progress', toCategory: 'in_progress' },
          ],
        });
        // Carried over sprint after sprint: in progress far longer than the team usually takes (twice its p85 of about
        // three weeks: the demo's issues wait for reviews, and some are put on hold).
        const agingKey = `${team.project}-${++issueNumber}`;
        const aging = team.members[4 % team.members.length]!;
        const agingSince = previousWorking(end - 45 * DAY, hoursOf(aging));
        committed.push(`jira-${agingKey}`);
        workItems.push({
          id: `jira-${agingKey}`,
          source: 'jira',
          kind: 'story',
          key: agingKey,
          title: 'Migrate invoices to the new ledger schema',
          state: 'In Progress',
          statusCategory: 'in_progress',
          team: team.id,
          author: team.members[0]!,
          assignees: [aging],
          createdAt: iso(end - 50 * DAY),
          updatedAt: iso(agingSince),
          storyPoints: 8,
          sprint: sprintId,
          transitions: [{ at: iso(agingSince), from: 'To Do', to: 'In Progress', fromCategory: 'todo', toCategory: 'in_progress' }],
        });
        const overdueKey = `${team.project}-${++issueNumber}`;
        committed.push(`jira-${overdueKey}`);
        workItems.push({
          id: `jira-${overdueKey}`,
          source: 'jira',
          kind: 'task',
          key: overdueKey,
          title: 'Renew the TLS certificate for the partner API',
          state: 'To Do',
          statusCategory: 'todo',
          team: team.id,
          author: team.members[0]!,
          assignees: [team.members[2 % team.members.length]!],
          createdAt: iso(sprintStart - 5 * DAY),
          updatedAt: iso(sprintStart - 5 * DAY),
          dueAt: iso(end - 3 * DAY),
          storyPoints: 2,
          sprint: sprintId,
          transitions: [],
        });
      }
    }
  }

  // --- what people write and say: daily reports, pull request surveys, Copilot usage, feedback on AI assistants.
  // A team generated on its own (the company bundle) leaves them out: that file writes reports of its own.
  const practice: Omit<PracticeInput, 'rng'> = {
    from: end - (shape.reportDays ?? shape.days) * DAY,
    end,
    teams,
    workItems,
    aiHelped,
    habits,
    hoursOf,
  };
  const generated: Bundle = {
    format: BUNDLE_FORMAT,
    teams: teams.map(({ id, name }) => ({ id, name })),
    people,
    repositories,
    workItems,
    sprints,
    deployments,
    incidents,
    reports: slot
      ? []
      : dailyReports({
          ...practice,
          rng: stream(1),
          teams: teams.map((team) => ({
            members: team.members,
            leadReviews: pendingOnLead.get(team.id) ?? [],
            ...(blockedTickets.has(team.id) ? { blocked: blockedTickets.get(team.id)! } : {}),
          })),
          names: new Map(people.map((person) => [person.id, person.name])),
        }),
    aiUsage: slot
      ? []
      : copilotUsage(
          { ...practice, rng: stream(2) },
          people.map((person) => person.id),
        ),
    surveyResponses: slot ? [] : surveyResponses({ ...practice, rng: stream(3) }),
    aiFeedback: slot ? [] : aiFeedback({ ...practice, rng: stream(4) }),
    risks: [],
    goals: [],
    absences: [],
    builds: [],
    oncalls: [],
  };
  // Goals, recent joiners and absences (plans-demo.ts), and PagerDuty-style incidents, one caused by a bad deploy
  // (demo-incidents.ts), for the whole demo organisation, not one team of a company.
  const lateWorkers = new Set(teams.flatMap((team) => team.members.filter((id) => workingHours.get(id)?.start === LATE_HOURS.start)));
  return slot ? generated : withPlans(withPagerDutyIncidents(generated, end), now, lateWorkers);
}
