import { formatTimestamp } from '../../kernel/model/timestamp.js';
import type { InValue } from '../../kernel/store/driver.js';
import type { Store } from '../../kernel/store/open-store.js';
import { columns, integer, nullable, real, text } from '../../kernel/store/row-decoder.js';
import { checkKnown, invalid } from '../../records/arguments.js';

const DAY_MS = 86_400_000;
/** Who gets a plan: people who joined in this many days before now. */
export const ONBOARDING_DAYS = 60;

/** A document to read, from the team's knowledge. */
export interface OnboardingDocument {
  title: string;
  uri: string;
  /** The team topics whose search found it, best first. */
  topics: string[];
  score: number;
}

/** Someone to meet, and why. */
export interface OnboardingContact {
  person: { id: string; name: string };
  reasons: string[];
}

/** An issue to start with. */
export interface StarterIssue {
  id: string;
  key: string;
  title: string;
  storyPoints?: number;
  url?: string;
  /** `good first issue` (labelled so), or `small` (unassigned, at most 2 points). */
  why: 'good first issue' | 'small';
}

/** A first (or tenth) step: when it happened and how many days after joining, or null before it happens. */
export type Milestone = { at: string; days: number } | null;

/** `ts.onboarding.plan(person)`. */
export interface OnboardingPlan {
  person: { id: string; name: string };
  /** When they joined: their `joinedAt`, else their first activity. */
  joinedAt: string;
  joinedFrom: 'joinedAt' | 'first activity';
  teams: string[];
  /** Their teams' leads. */
  leads: { id: string; name: string }[];
  /** The topics the plan is built around: the team's most used labels, components and repositories. */
  topics: string[];
  documents: OnboardingDocument[];
  people: OnboardingContact[];
  starterIssues: StarterIssue[];
  progress: {
    daysSinceJoining: number;
    firstPullRequest: Milestone;
    firstReview: Milestone;
    tenthPullRequest: Milestone;
    pullRequests: number;
  };
}

/** What onboarding reads through other features (knowledge). */
export interface OnboardingDeps {
  store: Store;
  workspace: string;
  clock: () => Date;
  search(query: string, options: { team?: string; limit?: number }): Promise<{ score: number; document: { title: string; uri: string } }[]>;
  whoKnows(topic: string, options: { team?: string; limit?: number }): Promise<{ person: { id: string; name: string } }[]>;
  propose(proposal: {
    type: string;
    target: string;
    params: Record<string, unknown>;
    reason: string;
    requestedBy: string;
  }): Promise<{ id: string; status: string }>;
}

/** A message proposed for a new hire's plan. */
export interface OnboardingMessage {
  person: string;
  recipient: string;
  approval: string;
  status: string;
}

/** `ts.onboarding`. */
export interface OnboardingApi {
  /**
   * The plan of someone who joined in the last 60 days (`joinedAt`, else their first activity): documents to read (the
   * team's, ranked by knowledge search on the team's topics), people to meet (who knows those topics, frequent
   * reviewers), starter issues, and progress (days to their first PR, first review, tenth PR).
   * @example const plan = await ts.onboarding.plan('dee')
   */
  plan(person: string): Promise<OnboardingPlan>;
  /** The people who joined in the last 60 days, newest first. */
  joiners(): Promise<{ id: string; name: string; joinedAt: string }[]>;
  /**
   * Proposes, through the policy, a Slack DM (`slack.dm.send`) with the plan to each recent joiner and to their leads,
   * once per joiner and recipient (recorded before proposing, so a restart or a second process never sends twice).
   * Recipients without a Slack account are left out. `teamstate serve` runs it on its schedule.
   */
  proposeMessages(options?: { requestedBy?: string }): Promise<OnboardingMessage[]>;
}

const personRow = columns({ id: text, name: text, joined_at: nullable(integer), first: nullable(integer) });
const idName = columns({ id: text, name: text });
const topicRow = columns({ topic: text, n: integer });
const starterRow = columns({ id: text, key: text, title: text, story_points: nullable(real), url: nullable(text), labels: nullable(text) });
const atRow = columns({ at: nullable(integer) });
const countRow = columns({ n: integer });
const slackRow = columns({ person: text, slack: text });

export function createOnboardingApi(deps: OnboardingDeps): OnboardingApi {
  const { store, workspace: w, clock } = deps;
  const execute = (sql: string, args: InValue[]) => store.execute(sql, args);
  const rows = async <T>(decoder: { all(rows: readonly object[]): T[] }, sql: string, args: InValue[]) =>
    decoder.all((await execute(sql, args)).rows);

  /** Each person's joining: declared, else the first PR or issue they opened or review they gave. */
  const JOINED = `SELECT p.id, p.name, p.joined_at,
      (SELECT min(at) FROM (SELECT min(wi.created_at) AS at FROM work_items wi WHERE wi.workspace = p.workspace AND wi.author_id = p.id
        UNION ALL SELECT min(r.submitted_at) FROM reviews r WHERE r.workspace = p.workspace AND r.reviewer_id = p.id)) AS first
    FROM people p WHERE p.workspace = ?1`;

  async function joiners() {
    const now = clock().getTime();
    const people = await rows(personRow, JOINED, [w]);
    return people
      .flatMap((p) => {
        const at = p.joined_at ?? p.first;
        return at !== null && at <= now && at > now - ONBOARDING_DAYS * DAY_MS
          ? [{ id: p.id, name: p.name, joinedAt: formatTimestamp(at) }]
          : [];
      })
      .sort((a, b) => b.joinedAt.localeCompare(a.joinedAt) || a.id.localeCompare(b.id));
  }

  async function plan(person: string): Promise<OnboardingPlan> {
    if (typeof person !== 'string' || person === '') throw invalid('person: expected a person id (teamstate people list)');
    await checkKnown(execute, w, 'person', person);
    const now = clock().getTime();
    const me = personRow.one((await execute(`${JOINED} AND p.id = ?2`, [w, person])).rows[0]!);
    const joined = me.joined_at ?? me.first;
    if (joined === null)
      throw invalid(`person: ${person} has no joinedAt and no activity yet; set people[].joinedAt in the config or the bundle`);
    if (joined <= now - ONBOARDING_DAYS * DAY_MS)
      throw invalid(
        `person: ${person} joined on ${formatTimestamp(joined).slice(0, 10)}, more than ${ONBOARDING_DAYS} days ago; onboarding plans are for people who joined since ${formatTimestamp(now - ONBOARDING_DAYS * DAY_MS).slice(0, 10)}`,
      );
    const teams = (
      await rows(
        columns({ team: text }),
        'SELECT team_id AS team FROM memberships WHERE workspace = ? AND person_id = ? ORDER BY team_id',
        [w, person],
      )
    ).map((r) => r.team);
    const teamList = JSON.stringify(teams);
    const leads = await rows(
      idName,
      `SELECT DISTINCT p.id, p.name FROM team_leads l JOIN people p ON p.workspace = l.workspace AND p.id = l.person_id
       WHERE l.workspace = ?1 AND l.team_id IN (SELECT value FROM json_each(?2)) AND p.id <> ?3 ORDER BY p.id`,
      [w, teamList, person],
    );
    const since = now - 90 * DAY_MS;
    // The team's topics: its most used labels and components, and its repositories' names, over 90 days.
    const topics = (
      await rows(
        topicRow,
        `SELECT topic, count(*) AS n FROM (
           SELECT l.value AS topic FROM work_items wi, json_each(wi.labels) l
           WHERE wi.workspace = ?1 AND wi.team_id IN (SELECT value FROM json_each(?2)) AND wi.created_at >= ?3 AND wi.labels IS NOT NULL
           UNION ALL SELECT c.value FROM work_items wi, json_each(wi.components) c
           WHERE wi.workspace = ?1 AND wi.team_id IN (SELECT value FROM json_each(?2)) AND wi.created_at >= ?3 AND wi.components IS NOT NULL)
         WHERE lower(topic) NOT IN ('good first issue', 'bug', 'chore')
         GROUP BY topic ORDER BY n DESC, topic LIMIT 4`,
        [w, teamList, since],
      )
    ).map((r) => r.topic);
    const repositories = (
      await rows(
        columns({ id: text }),
        'SELECT id FROM repositories WHERE workspace = ?1 AND team_id IN (SELECT value FROM json_each(?2)) ORDER BY id LIMIT 2',
        [w, teamList],
      )
    ).map((r) => r.id.slice(r.id.indexOf('/') + 1));
    const allTopics = [...new Set([...topics, ...repositories])];
    const team = teams[0];

    const documents = new Map<string, OnboardingDocument>();
    for (const topic of [...allTopics, 'onboarding', 'getting started']) {
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
    const contacts = new Map<string, OnboardingContact>();
    const meet = (who: { id: string; name: string }, reason: string) => {
      if (who.id === person) return;
      const found = contacts.get(who.id) ?? { person: who, reasons: [] };
      if (!found.reasons.includes(reason)) found.reasons.push(reason);
      contacts.set(who.id, found);
    };
    for (const topic of allTopics)
      for (const expert of (await deps.whoKnows(topic, { ...(team ? { team } : {}), limit: 2 })).slice(0, 2))
        meet(expert.person, `knows ${topic}`);
    const reviewers = await rows(
      idName,
      `SELECT p.id, p.name FROM reviews r JOIN work_items wi ON wi.workspace = r.workspace AND wi.id = r.work_item_id
       JOIN people p ON p.workspace = r.workspace AND p.id = r.reviewer_id
       WHERE r.workspace = ?1 AND wi.team_id IN (SELECT value FROM json_each(?2)) AND r.submitted_at >= ?3 AND r.reviewer_id <> ?4
       GROUP BY p.id ORDER BY count(*) DESC, p.id LIMIT 3`,
      [w, teamList, since, person],
    );
    for (const reviewer of reviewers) meet(reviewer, 'reviews the team’s pull requests most');
    for (const lead of leads) meet(lead, 'leads the team');

    const starters = await rows(
      starterRow,
      `SELECT wi.id, wi.key, wi.title, wi.story_points, wi.url, wi.labels FROM work_items wi
       WHERE wi.workspace = ?1 AND wi.team_id IN (SELECT value FROM json_each(?2)) AND wi.kind NOT IN ('pull_request', 'epic')
         AND COALESCE(wi.status_category, 'todo') = 'todo' AND wi.closed_at IS NULL AND wi.resolved_at IS NULL
         AND NOT EXISTS (SELECT 1 FROM work_item_assignees a WHERE a.workspace = wi.workspace AND a.work_item_id = wi.id)
         AND (EXISTS (SELECT 1 FROM json_each(wi.labels) l WHERE lower(l.value) = 'good first issue') OR wi.story_points <= 2)
       ORDER BY EXISTS (SELECT 1 FROM json_each(wi.labels) l WHERE lower(l.value) = 'good first issue') DESC, wi.story_points, wi.created_at DESC, wi.id
       LIMIT 5`,
      [w, teamList],
    );
    const starterIssues = starters.map((s): StarterIssue => {
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

    const milestone = (at: number | null): Milestone =>
      at === null ? null : { at: formatTimestamp(at), days: Math.round(((at - joined) / DAY_MS) * 10) / 10 };
    const nthPr = async (offset: number) =>
      atRow.first(
        (
          await execute(
            `SELECT created_at AS at FROM work_items WHERE workspace = ? AND author_id = ? AND kind = 'pull_request' AND created_at <= ?
             ORDER BY created_at, id LIMIT 1 OFFSET ?`,
            [w, person, now, offset],
          )
        ).rows,
      )?.at ?? null;
    const firstReview = atRow.one(
      (
        await execute('SELECT min(submitted_at) AS at FROM reviews WHERE workspace = ? AND reviewer_id = ? AND submitted_at <= ?', [
          w,
          person,
          now,
        ])
      ).rows[0]!,
    ).at;
    const pullRequests = countRow.one(
      (
        await execute(
          `SELECT count(*) AS n FROM work_items WHERE workspace = ? AND author_id = ? AND kind = 'pull_request' AND created_at <= ?`,
          [w, person, now],
        )
      ).rows[0]!,
    ).n;
    return {
      person: { id: me.id, name: me.name },
      joinedAt: formatTimestamp(joined),
      joinedFrom: me.joined_at === null ? 'first activity' : 'joinedAt',
      teams,
      leads,
      topics: allTopics,
      documents: [...documents.values()].sort((a, b) => b.score - a.score || a.title.localeCompare(b.title)).slice(0, 8),
      people: [...contacts.values()].slice(0, 8),
      starterIssues,
      progress: {
        daysSinceJoining: Math.floor((now - joined) / DAY_MS),
        firstPullRequest: milestone(await nthPr(0)),
        firstReview: milestone(firstReview),
        tenthPullRequest: milestone(await nthPr(9)),
        pullRequests,
      },
    };
  }

  /** The plan as a short Slack message. */
  const messageText = (plan: OnboardingPlan, forLead: boolean) =>
    [
      forLead
        ? `${plan.person.name} joined on ${plan.joinedAt.slice(0, 10)}; here is their onboarding plan.`
        : `Welcome, ${plan.person.name}! Your onboarding plan:`,
      plan.documents.length > 0
        ? `Read: ${plan.documents
            .slice(0, 3)
            .map((d) => d.title)
            .join('; ')}`
        : '',
      plan.people.length > 0
        ? `Meet: ${plan.people
            .slice(0, 4)
            .map((c) => c.person.name)
            .join(', ')}`
        : '',
      plan.starterIssues.length > 0
        ? `Start with: ${plan.starterIssues
            .slice(0, 3)
            .map((s) => `${s.key} ${s.title}`)
            .join('; ')}`
        : '',
    ]
      .filter(Boolean)
      .join('\n');

  return {
    plan,
    joiners,
    async proposeMessages(options = {}) {
      const out: OnboardingMessage[] = [];
      for (const joiner of await joiners()) {
        const p = await plan(joiner.id);
        const recipients = [{ id: joiner.id, lead: false }, ...p.leads.map((l) => ({ id: l.id, lead: true }))];
        const slack = new Map(
          (
            await rows(
              slackRow,
              `SELECT person_id AS person, min(external_id) AS slack FROM accounts WHERE workspace = ?1 AND provider = 'slack'
               AND person_id IN (SELECT value FROM json_each(?2)) GROUP BY person_id`,
              [w, JSON.stringify(recipients.map((r) => r.id))],
            )
          ).map((r) => [r.person, r.slack]),
        );
        for (const recipient of recipients) {
          const user = slack.get(recipient.id);
          if (!user) continue;
          // Claimed before proposing: of two processes, only one proposes it.
          const claimed = await store.execute(
            'INSERT INTO onboarding_messages (workspace, person_id, recipient_id, proposed_at) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING',
            [w, joiner.id, recipient.id, clock().getTime()],
          );
          if (claimed.rowsAffected !== 1) continue;
          const approval = await deps.propose({
            type: 'slack.dm.send',
            target: user,
            params: { user, text: messageText(p, recipient.lead) },
            reason: `onboarding plan of ${joiner.id}`,
            requestedBy: options.requestedBy ?? 'teamstate',
          });
          out.push({ person: joiner.id, recipient: recipient.id, approval: approval.id, status: approval.status });
        }
      }
      return out;
    },
  };
}
