import { formatTimestamp } from '../../kernel/model/timestamp.js';
import type { InValue } from '../../kernel/store/driver.js';
import { columns, integer, nullable, real, text } from '../../kernel/store/row-decoder.js';
import { checkKnown, invalid } from '../../records/arguments.js';
import { teamLeads } from '../../records/identity/viewer.js';
import { urlColumn } from '../../records/store/work-item-url.js';
import {
  DAY_MS,
  type Milestone,
  ONBOARDING_DAYS,
  type OnboardingContact,
  type OnboardingDeps,
  type OnboardingDocument,
  type OnboardingPlan,
  type StarterIssue,
} from './onboarding-model.js';

const personRow = columns({ id: text, name: text, joined_at: nullable(integer), first: nullable(integer) });
const idName = columns({ id: text, name: text });
const topicRow = columns({ topic: text, n: integer });
const starterRow = columns({ id: text, key: text, title: text, story_points: nullable(real), url: nullable(text), labels: nullable(text) });
const atRow = columns({ at: nullable(integer) });
const countRow = columns({ n: integer });

/** Each person's joining: declared, else the first PR or issue they opened or review they gave. */
const JOINED = `SELECT p.id, p.name, p.joined_at,
    (SELECT min(at) FROM (SELECT min(wi.created_at) AS at FROM work_items wi WHERE wi.workspace = p.workspace AND wi.author_id = p.id
      UNION ALL SELECT min(r.submitted_at) FROM reviews r WHERE r.workspace = p.workspace AND r.reviewer_id = p.id)) AS first
  FROM people p WHERE p.workspace = ?1`;

/** The teams a plan is about: the joiner's, as a JSON list for `json_each`, the first of them, and the window read. */
interface PlanScope {
  person: string;
  teams: string[];
  teamList: string;
  team: string | undefined;
  /** Activity from this instant on (90 days back) says what the team works on and who reviews. */
  since: number;
}

/** The rows of a statement, through a decoder. */
export async function rowsOf<T>(
  deps: OnboardingDeps,
  decoder: { all(rows: readonly object[]): T[] },
  sql: string,
  args: InValue[],
): Promise<T[]> {
  return decoder.all((await deps.store.execute(sql, args)).rows);
}

/**
 * The people who joined in the last 60 days, newest first; `declared` keeps only those with an explicit `joinedAt`
 * (whose first activity is recent may just be new to teamstate: a first sync is not forty people joining).
 */
export async function listJoiners(
  deps: OnboardingDeps,
  options: { declared?: boolean } = {},
): Promise<{ id: string; name: string; joinedAt: string }[]> {
  const now = deps.clock().getTime();
  const people = await rowsOf(deps, personRow, JOINED, [deps.workspace]);
  return people
    .flatMap((p) => {
      const at = options.declared ? p.joined_at : (p.joined_at ?? p.first);
      return at !== null && at <= now && at > now - ONBOARDING_DAYS * DAY_MS
        ? [{ id: p.id, name: p.name, joinedAt: formatTimestamp(at) }]
        : [];
    })
    .sort((a, b) => b.joinedAt.localeCompare(a.joinedAt) || a.id.localeCompare(b.id));
}

/**
 * The plan of someone who joined in the last 60 days (`joinedAt`, else their first activity): documents to read,
 * people to meet, starter issues, and progress.
 */
export async function planOnboarding(deps: OnboardingDeps, person: string): Promise<OnboardingPlan> {
  if (typeof person !== 'string' || person === '') throw invalid('person: expected a person id (teamstate people list)');
  await checkKnown((sql, args) => deps.store.execute(sql, args), deps.workspace, 'person', person);
  const now = deps.clock().getTime();
  const { me, joined } = await recentJoiner(deps, person, now);
  const scope = await planScope(deps, person, now);
  // The leads of their teams by the one definition (`teams[].leads` and the approvers who are members).
  const byTeam = await teamLeads(deps.store, deps.workspace, deps.approvers ?? []);
  const leadIds = [...new Set(scope.teams.flatMap((team) => byTeam.get(team) ?? []))].filter((id) => id !== person);
  const leads = await rowsOf(
    deps,
    idName,
    'SELECT id, name FROM people WHERE workspace = ?1 AND id IN (SELECT value FROM json_each(?2)) ORDER BY id',
    [deps.workspace, JSON.stringify(leadIds)],
  );
  const topics = await teamTopics(deps, scope);
  const documents = await documentsToRead(deps, scope, topics);
  const people = await peopleToMeet(deps, scope, topics, leads);
  return {
    person: { id: me.id, name: me.name },
    joinedAt: formatTimestamp(joined),
    joinedFrom: me.joined_at === null ? 'first activity' : 'joinedAt',
    teams: scope.teams,
    leads,
    topics,
    documents,
    people,
    starterIssues: await starterIssues(deps, scope),
    progress: await onboardingProgress(deps, person, joined, now),
  };
}

/** The person and when they joined; refused when they show no joining or joined more than 60 days ago. */
async function recentJoiner(deps: OnboardingDeps, person: string, now: number) {
  const me = personRow.one((await deps.store.execute(`${JOINED} AND p.id = ?2`, [deps.workspace, person])).rows[0]!);
  const joined = me.joined_at ?? me.first;
  if (joined === null)
    throw invalid(`person: ${person} has no joinedAt and no activity yet; set people[].joinedAt in the config or the bundle`);
  if (joined <= now - ONBOARDING_DAYS * DAY_MS)
    throw invalid(
      `person: ${person} joined on ${formatTimestamp(joined).slice(0, 10)}, more than ${ONBOARDING_DAYS} days ago; onboarding plans are for people who joined since ${formatTimestamp(now - ONBOARDING_DAYS * DAY_MS).slice(0, 10)}`,
    );
  return { me, joined };
}

/** The joiner's teams and the window a plan reads them over. */
async function planScope(deps: OnboardingDeps, person: string, now: number): Promise<PlanScope> {
  const teams = (
    await rowsOf(
      deps,
      columns({ team: text }),
      'SELECT team_id AS team FROM memberships WHERE workspace = ? AND person_id = ? ORDER BY team_id',
      [deps.workspace, person],
    )
  ).map((r) => r.team);
  return { person, teams, teamList: JSON.stringify(teams), team: teams[0], since: now - 90 * DAY_MS };
}

/** The team's topics: its most used labels and components, and its repositories' names, over 90 days. */
async function teamTopics(deps: OnboardingDeps, scope: PlanScope): Promise<string[]> {
  const topics = (
    await rowsOf(
      deps,
      topicRow,
      `SELECT topic, count(*) AS n FROM (
         SELECT l.value AS topic FROM work_items wi, json_each(wi.labels) l
         WHERE wi.workspace = ?1 AND wi.team_id IN (SELECT value FROM json_each(?2)) AND wi.created_at >= ?3 AND wi.labels IS NOT NULL
         UNION ALL SELECT c.value FROM work_items wi, json_each(wi.components) c
         WHERE wi.workspace = ?1 AND wi.team_id IN (SELECT value FROM json_each(?2)) AND wi.created_at >= ?3 AND wi.components IS NOT NULL)
       WHERE lower(topic) NOT IN ('good first issue', 'bug', 'chore')
       GROUP BY topic ORDER BY n DESC, topic LIMIT 4`,
      [deps.workspace, scope.teamList, scope.since],
    )
  ).map((r) => r.topic);
  const repositories = (
    await rowsOf(
      deps,
      columns({ id: text }),
      'SELECT id FROM repositories WHERE workspace = ?1 AND team_id IN (SELECT value FROM json_each(?2)) ORDER BY id LIMIT 2',
      [deps.workspace, scope.teamList],
    )
  ).map((r) => r.id.slice(r.id.indexOf('/') + 1));
  return [...new Set([...topics, ...repositories])];
}

/** The team's documents found by knowledge search on its topics (and onboarding itself), the best eight. */
async function documentsToRead(deps: OnboardingDeps, scope: PlanScope, topics: readonly string[]): Promise<OnboardingDocument[]> {
  const { team } = scope;
  const documents = new Map<string, OnboardingDocument>();
  for (const topic of [...topics, 'onboarding', 'getting started']) {
    for (const passage of await deps.search(topic, { ...(team ? { team } : {}), limit: 5 })) {
      const found = documents.get(passage.document.uri);
      if (found) {
        if (!found.topics.includes(topic)) found.topics.push(topic);
        found.score += passage.score;
      } else
        documents.set(passage.document.uri, {
          title: passage.document.title,
          uri: passage.document.uri,
          topics: [topic],
          score: passage.score,
        });
    }
  }
  return [...documents.values()].sort((a, b) => b.score - a.score || a.title.localeCompare(b.title)).slice(0, 8);
}

/** Who knows the team's topics, who reviews its pull requests most, and its leads: the first eight. */
async function peopleToMeet(
  deps: OnboardingDeps,
  scope: PlanScope,
  topics: readonly string[],
  leads: readonly { id: string; name: string }[],
): Promise<OnboardingContact[]> {
  const { person, team } = scope;
  const contacts = new Map<string, OnboardingContact>();
  const meet = (who: { id: string; name: string }, reason: string) => {
    if (who.id === person) return;
    const found = contacts.get(who.id) ?? { person: who, reasons: [] };
    if (!found.reasons.includes(reason)) found.reasons.push(reason);
    contacts.set(who.id, found);
  };
  for (const topic of topics)
    for (const expert of (await deps.whoKnows(topic, { ...(team ? { team } : {}), limit: 2 })).slice(0, 2))
      meet(expert.person, `knows ${topic}`);
  const reviewers = await rowsOf(
    deps,
    idName,
    `SELECT p.id, p.name FROM reviews r JOIN work_items wi ON wi.workspace = r.workspace AND wi.id = r.work_item_id
     JOIN people p ON p.workspace = r.workspace AND p.id = r.reviewer_id
     WHERE r.workspace = ?1 AND wi.team_id IN (SELECT value FROM json_each(?2)) AND r.submitted_at >= ?3 AND r.reviewer_id <> ?4
     GROUP BY p.id ORDER BY count(*) DESC, p.id LIMIT 3`,
    [deps.workspace, scope.teamList, scope.since, person],
  );
  for (const reviewer of reviewers) meet(reviewer, 'reviews the team’s pull requests most');
  for (const lead of leads) meet(lead, 'leads the team');
  return [...contacts.values()].slice(0, 8);
}

/** Up to five unassigned issues to start with: labelled `good first issue` first, then small ones. */
async function starterIssues(deps: OnboardingDeps, scope: PlanScope): Promise<StarterIssue[]> {
  const starters = await rowsOf(
    deps,
    starterRow,
    `SELECT wi.id, wi.key, wi.title, wi.story_points, ${urlColumn('wi')} AS url, wi.labels FROM work_items wi
     WHERE wi.workspace = ?1 AND wi.team_id IN (SELECT value FROM json_each(?2)) AND wi.kind NOT IN ('pull_request', 'epic')
       AND COALESCE(wi.status_category, 'todo') = 'todo' AND wi.closed_at IS NULL AND wi.resolved_at IS NULL
       AND NOT EXISTS (SELECT 1 FROM work_item_assignees a WHERE a.workspace = wi.workspace AND a.work_item_id = wi.id)
       AND (EXISTS (SELECT 1 FROM json_each(wi.labels) l WHERE lower(l.value) = 'good first issue') OR wi.story_points <= 2)
     ORDER BY EXISTS (SELECT 1 FROM json_each(wi.labels) l WHERE lower(l.value) = 'good first issue') DESC, wi.story_points, wi.created_at DESC, wi.id
     LIMIT 5`,
    [deps.workspace, scope.teamList],
  );
  return starters.map((s): StarterIssue => {
    const good = (s.labels ? (JSON.parse(s.labels) as string[]) : []).some((l) => l.toLowerCase() === 'good first issue');
    return {
      id: s.id,
      key: s.key,
      title: s.title,
      ...(s.story_points === null ? {} : { storyPoints: s.story_points }),
      ...(s.url ? { url: s.url } : {}),
      why: good ? 'good first issue' : 'small',
    };
  });
}

/** Days since joining, and days from joining to the first pull request, the first review and the tenth pull request. */
async function onboardingProgress(deps: OnboardingDeps, person: string, joined: number, now: number): Promise<OnboardingPlan['progress']> {
  const w = deps.workspace;
  const milestone = (at: number | null): Milestone =>
    at === null ? null : { at: formatTimestamp(at), days: Math.round(((at - joined) / DAY_MS) * 10) / 10 };
  const nthPr = async (offset: number) =>
    atRow.first(
      (
        await deps.store.execute(
          `SELECT created_at AS at FROM work_items WHERE workspace = ? AND author_id = ? AND kind = 'pull_request' AND created_at <= ?
           ORDER BY created_at, id LIMIT 1 OFFSET ?`,
          [w, person, now, offset],
        )
      ).rows,
    )?.at ?? null;
  const firstReview = atRow.one(
    (
      await deps.store.execute(
        'SELECT min(submitted_at) AS at FROM reviews WHERE workspace = ? AND reviewer_id = ? AND submitted_at <= ?',
        [w, person, now],
      )
    ).rows[0]!,
  ).at;
  const pullRequests = countRow.one(
    (
      await deps.store.execute(
        `SELECT count(*) AS n FROM work_items WHERE workspace = ? AND author_id = ? AND kind = 'pull_request' AND created_at <= ?`,
        [w, person, now],
      )
    ).rows[0]!,
  ).n;
  return {
    daysSinceJoining: Math.floor((now - joined) / DAY_MS),
    firstPullRequest: milestone(await nthPr(0)),
    firstReview: milestone(firstReview),
    tenthPullRequest: milestone(await nthPr(9)),
    pullRequests,
  };
}
