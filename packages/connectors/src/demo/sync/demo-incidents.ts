import type { Bundle, Deployment, Incident, Oncall, Repository, WorkItem } from '@teamstate/core';

const HOUR = 3_600_000;
const MINUTE = 60_000;
const DAY = 24 * HOUR;
const iso = (ms: number) => new Date(ms).toISOString();

/** 09:25 UTC on the last weekday (Monday to Friday) before the UTC day of `at`. */
function officeMorningBefore(at: number): number {
  let day = at - (at % DAY) - DAY;
  while (new Date(day).getUTCDay() % 6 === 0) day -= DAY;
  return day + 9 * HOUR + 25 * MINUTE;
}

/** Who and what the demo's PagerDuty incidents are about, and when the bad deployment's incident began. */
interface Scene {
  bundle: Bundle;
  /** The first repository (its team's service pages) and the second (the decoy's and the other incident's). */
  first: Repository & { team: string };
  second: Repository;
  service: string;
  otherService: string;
  author: string | undefined;
  responder: string | undefined;
  /** The start of the demo's day (UTC), when the incident began and when the bad deployment finished. */
  end: number;
  begins: number;
  deployedAt: number;
}

/**
 * PagerDuty-style incidents for the demo organisation, so `teamstate incident brief` has a real suspect: yesterday a
 * pull request changing the first repository's service paths shipped in a production deployment, and 35 minutes later
 * its service paged (acknowledged, a note, a status update, a rollback, resolved); another team's deployment landed in
 * between as a decoy. A second, still-acknowledged incident of another team has no deployment behind it. Each service
 * has its PagerDuty on-call: a week's shift of the first level and a second level without bounds. `end` is the start of
 * the demo's day (UTC).
 */
export function withPagerDutyIncidents(bundle: Bundle, end: number): Bundle {
  const [first, second] = bundle.repositories;
  if (!first?.team || !second) return bundle;
  const team = first.team;
  const people = bundle.people.filter((p) => p.teams?.includes(team)).map((p) => p.id);
  const [author = bundle.people[0]?.id, responder = author] = people;
  const begins = end - 20 * HOUR;
  const scene: Scene = {
    bundle,
    first: { ...first, team },
    second,
    service: first.id.split('/')[1]!,
    otherService: second.id.split('/')[1]!,
    author,
    responder,
    end,
    begins,
    deployedAt: begins - 35 * MINUTE,
  };
  const pr = badPullRequest(scene);
  return {
    ...bundle,
    oncalls: [...bundle.oncalls, ...pagerDutyOncalls(scene)],
    workItems: [...bundle.workItems, pr],
    deployments: [...bundle.deployments, ...aroundTheIncident(scene, pr)],
    incidents: [...bundle.incidents, ...pagerDutyIncidents(scene)],
  };
}

/** The pull request the bad deployment shipped, by the first repository's team. */
function badPullRequest({ bundle, first, service, author, responder, deployedAt }: Scene): WorkItem {
  const reviewer = responder !== author ? responder : undefined;
  // The next number after the organisation's pull requests (numbered in the order they were opened).
  const number = bundle.workItems.filter((item) => item.kind === 'pull_request').length + 1;
  return {
    id: `gh-pr-${first.id}#${number}`,
    source: 'github',
    kind: 'pull_request',
    key: `${first.id}#${number}`,
    title: `Cache ${service} settlement lookups`,
    state: 'merged',
    repository: first.id,
    ...(author ? { author } : {}),
    // Opened in office hours like its author's others: 09:25 UTC on the last weekday before the deployment's day.
    createdAt: iso(officeMorningBefore(deployedAt)),
    mergedAt: iso(deployedAt - 70 * MINUTE),
    // Approved by a teammate three hours after it was opened: the review missed what the page found.
    ...(reviewer
      ? { reviews: [{ reviewer, state: 'approved' as const, submittedAt: iso(officeMorningBefore(deployedAt) + 3 * HOUR) }] }
      : {}),
    additions: 214,
    deletions: 37,
    paths: [`services/${service}/settlement-cache.ts`, `services/${service}/config.yaml`],
    url: `https://github.com/${first.id}/pull/${number}`,
  };
}

/** The bad deployment shipping `pr`, the decoy of another team just before the page, and the rollback. */
function aroundTheIncident({ bundle, first, second, begins, deployedAt }: Scene, pr: WorkItem): Deployment[] {
  const before = bundle.deployments
    .filter(
      (d) => d.repository === first.id && d.environment === 'production' && d.status === 'success' && Date.parse(d.finishedAt) < deployedAt,
    )
    .sort((a, b) => b.finishedAt.localeCompare(a.finishedAt))[0];
  return [
    {
      id: 'deploy-pd-bad',
      repository: first.id,
      environment: 'production',
      status: 'success',
      startedAt: iso(deployedAt - 9 * MINUTE),
      finishedAt: iso(deployedAt),
      sha: '7c1e5a9d4b3f2e1a0c9b8d7e6f5a4b3c2d1e0f9a',
      pullRequests: [pr.id],
    },
    {
      id: 'deploy-pd-decoy',
      repository: second.id,
      environment: 'production',
      status: 'success',
      startedAt: iso(begins - 18 * MINUTE),
      finishedAt: iso(begins - 10 * MINUTE),
      sha: '0a9f8e7d6c5b4a3f2e1d0c9b8a7f6e5d4c3b2a19',
      pullRequests: [],
    },
    // The rollback: back to the sha deployed before the bad one.
    {
      id: 'deploy-pd-rollback',
      repository: first.id,
      environment: 'production',
      status: 'success',
      startedAt: iso(begins + 40 * MINUTE),
      finishedAt: iso(begins + 46 * MINUTE),
      sha: before?.sha ?? '1111111111111111111111111111111111111111',
      pullRequests: [],
    },
  ];
}

function pagerDutyIncidents(scene: Scene): Incident[] {
  return [badDeployIncident(scene), queueLagIncident(scene), ...nightPages(scene)];
}

/** What woke the other service's on-call person in the weeks before (`teamstate oncall`'s overloaded person). */
const NIGHT_PAGES = ['consumer restarts looping', 'disk above 90 %', 'dead-letter queue growing'];

/**
 * The other service's first-level on-call holds the three weeks before this one too, and was paged three times a week,
 * twice at night (01:40 and 03:10 UTC) and once on the Saturday afternoon: the demo's overloaded on-call person. This
 * week's pages so far (those before the bad deployment's incident) count too, so the last 7 days before the demo's
 * now hold night pages (`person.oncall_load`), not only the weeks before.
 */
function nightPages({ second, otherService, begins }: Scene): Incident[] {
  const pages: Incident[] = [];
  for (let week = 0; week <= 3; week++) {
    const monday = weekStart(begins) - week * 7 * DAY - 9 * HOUR;
    const moments = [monday + DAY + 1 * HOUR + 40 * MINUTE, monday + 3 * DAY + 3 * HOUR + 10 * MINUTE, monday + 5 * DAY + 15 * HOUR];
    moments.forEach((at, i) => {
      if (at >= begins) return;
      const id = `Q3DEMONIGHT${week}${i}`;
      pages.push({
        id: `pd-${id}`,
        title: `${otherService}: ${NIGHT_PAGES[i]}`,
        createdAt: iso(at),
        source: 'pagerduty',
        externalId: id,
        service: otherService,
        ...(second.team ? { team: second.team } : {}),
        urgency: 'high',
        status: 'resolved',
        acknowledgedAt: iso(at + (4 + i) * MINUTE),
        resolvedAt: iso(at + (35 + 10 * i) * MINUTE),
        responders: [],
        timeline: [],
      });
    });
  }
  return pages;
}

/** The first service's page after the bad deployment, resolved by the rollback. */
function badDeployIncident({ first, service, author, responder, begins }: Scene): Incident {
  const responders = [responder, author].filter((p): p is string => p !== undefined);
  return {
    id: 'pd-Q1DEMOBADDEPLOY',
    title: `${service}: settlement confirmations failing (5xx above 8%)`,
    severity: 'P1',
    createdAt: iso(begins),
    resolvedAt: iso(begins + 58 * MINUTE),
    source: 'pagerduty',
    externalId: 'Q1DEMOBADDEPLOY',
    service,
    team: first.team,
    urgency: 'high',
    status: 'resolved',
    acknowledgedAt: iso(begins + 4 * MINUTE),
    responders: [...new Set(responders)],
    timeline: [
      { at: iso(begins), kind: 'triggered', actor: 'Datadog', text: `${service} 5xx rate above 8% for 5 minutes` },
      { at: iso(begins + 4 * MINUTE), kind: 'acknowledged', ...(responder ? { actor: responder } : {}) },
      {
        at: iso(begins + 12 * MINUTE),
        kind: 'status_update',
        text: 'Investigating failed settlement confirmations; payments are queued, not lost.',
      },
      {
        at: iso(begins + 31 * MINUTE),
        kind: 'note',
        ...(responder ? { actor: responder } : {}),
        text: 'Errors started right after the settlement cache deploy; rolling back.',
      },
      { at: iso(begins + 50 * MINUTE), kind: 'status_update', text: 'A fix has been deployed; confirmations are catching up.' },
      { at: iso(begins + 58 * MINUTE), kind: 'resolved', ...(responder ? { actor: responder } : {}) },
    ],
  };
}

/** The other service's incident, still acknowledged, with no deployment behind it. */
function queueLagIncident({ second, otherService, end }: Scene): Incident {
  return {
    id: 'pd-Q2DEMOQUEUELAG',
    title: `${otherService}: queue lag above 10 minutes`,
    createdAt: iso(end - 3 * HOUR),
    source: 'pagerduty',
    externalId: 'Q2DEMOQUEUELAG',
    service: otherService,
    ...(second.team ? { team: second.team } : {}),
    urgency: 'low',
    status: 'acknowledged',
    acknowledgedAt: iso(end - 3 * HOUR + 9 * MINUTE),
    responders: [],
    timeline: [
      { at: iso(end - 3 * HOUR), kind: 'triggered', actor: 'Prometheus', text: 'queue lag above 10 minutes' },
      { at: iso(end - 3 * HOUR + 9 * MINUTE), kind: 'acknowledged' },
    ],
  };
}

/** 09:00 UTC on the Monday of the week (Monday to Sunday, UTC) of `at`. */
function weekStart(at: number): number {
  const day = at - (at % DAY);
  return day - ((new Date(day).getUTCDay() + 6) % 7) * DAY + 9 * HOUR;
}

/** Who is on call for a service at one level of its escalation policy. */
interface Shift {
  policy: string;
  name: string;
  service: string;
  team: string | undefined;
  person: string;
  level: number;
  /** A week's shift of the policy's primary schedule (from the Monday of `begins`), else without bounds. */
  bounded: boolean;
}

function oncallOf(shift: Shift, begins: number): Oncall {
  const { policy, name, team, bounded } = shift;
  return {
    source: 'pagerduty',
    escalationPolicy: policy,
    escalationPolicyName: name,
    level: shift.level,
    ...(bounded ? { schedule: `${policy}-PRIMARY`, scheduleName: `${name} primary` } : {}),
    service: shift.service,
    ...(team ? { team } : {}),
    person: shift.person,
    ...(bounded ? { start: iso(weekStart(begins)), end: iso(weekStart(begins) + 7 * DAY) } : {}),
  };
}

/**
 * On call: the responder holds the first service's week (since the Monday before), the author is its second level;
 * the other service's first member holds its week.
 */
function pagerDutyOncalls({ bundle, first, second, service, otherService, author, responder, begins, end }: Scene): Oncall[] {
  const primary = { policy: 'PDEMOESC1', name: `${service} on-call`, service, team: first.team };
  const other = { policy: 'PDEMOESC2', name: `${otherService} on-call`, service: otherService, team: second.team };
  const otherOncall = bundle.people.find((p) => second.team && p.teams?.includes(second.team))?.id;
  return [
    ...(responder ? [oncallOf({ ...primary, person: responder, level: 1, bounded: true }, begins)] : []),
    ...(author && author !== responder ? [oncallOf({ ...primary, person: author, level: 2, bounded: false }, begins)] : []),
    ...(otherOncall ? [{ ...oncallOf({ ...other, person: otherOncall, level: 1, bounded: true }, begins), end: iso(end + 7 * DAY) }] : []),
    // The three weeks before, the same person: four weeks running.
    ...(otherOncall
      ? [1, 2, 3].map((week) => {
          const shift = oncallOf({ ...other, person: otherOncall, level: 1, bounded: true }, begins - week * 7 * DAY);
          return shift;
        })
      : []),
  ];
}
