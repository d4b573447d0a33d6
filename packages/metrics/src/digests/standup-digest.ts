import { parseTimestamp, type Report, type StoredSignal, type TeamState, TeamStateError, timeZoneOffset } from '@teamstate/core';
import { columns, createStoreReader, nullable, type RowOf, raw, sql, text, valueList } from '@teamstate/core/store';
import { field } from './digest-text.js';
import { requireTeam, shortDate } from './team-scope.js';

const DAY = 86_400_000;

// A member's item, with the review's or item's state, or the move's statuses.
const item = { person: text, key: text, title: text };
const itemRows = columns(item);
const stateRows = columns({ ...item, state: text });
const moveRows = columns({ ...item, from_status: nullable(text), to_status: text });
type Item = RowOf<typeof item>;

/** A person's daily report as the standup shows it: their own words, and what blocks them. */
export interface StandupReport {
  /** The person's local day, `YYYY-MM-DD`. */
  day: string;
  /** Markdown, as they wrote it. */
  text: string;
  blockers?: string;
}

/** What one person did since the last standup. */
export interface PersonStandup {
  person: { id: string; name: string };
  /** Their latest daily report of a day from the one `since` falls on (their local day) to now; null without one. */
  report: StandupReport | null;
  merged: { key: string; title: string }[];
  opened: { key: string; title: string }[];
  reviewed: { key: string; title: string; state: string }[];
  moved: { key: string; title: string; from: string | null; to: string }[];
  blocked: { key: string; title: string; status: string }[];
}

/** A team's standup: per person, plus the team's blockers (open signals). */
export interface StandupDigest {
  team: { id: string; name: string };
  since: string;
  until: string;
  people: PersonStandup[];
  blockers: Pick<StoredSignal, 'kind' | 'severity' | 'title' | 'subject'>[];
  text: string;
}

const BLOCKER_KINDS = [
  'incident.open',
  'deploy.failed',
  'item.blocked',
  'pr.awaiting_review',
  'pr.changes_requested_idle',
  'item.overdue',
  'sprint.at_risk',
];

/** The last working day's start of the standup window: 24 hours back, skipping Saturday and Sunday. */
export function defaultSince(now: Date): Date {
  let since = now.getTime() - DAY;
  while ([0, 6].includes(new Date(since).getUTCDay())) since -= DAY;
  return new Date(since);
}

/**
 * What each member of a team wrote in their latest daily report and merged, opened, reviewed, moved and is blocked on
 * since `since` (default: the same time on the previous working day), plus the team's blockers, refreshed at the
 * clock's now. Reports are read through `ts.reports.list`, so a facade that may read only some reports shows only those.
 */
export async function standupDigest(ts: TeamState, query: { team: string; since?: string }): Promise<StandupDigest> {
  const team = await requireTeam(ts, query.team);
  const now = ts.now();
  const since = query.since === undefined ? defaultSince(now).getTime() : parseTimestamp(query.since);
  if (since === undefined)
    throw new TeamStateError('invalid_argument', `since: invalid ISO timestamp "${query.since}" (expected e.g. 2026-03-01T09:00:00Z)`);
  if (since >= now.getTime()) throw new TeamStateError('invalid_argument', `since: must be before now (${now.toISOString()})`);
  const until = now.getTime();
  const db = createStoreReader(ts.store, ts.workspace);
  const workspace = ts.workspace;
  const members = team.members;
  const people = await ts.people.list({ team: team.id });
  const inList = members.length > 0 ? valueList(members) : raw("''");
  // Each member's own rows are sought (their reviews, their assignments, their merges), never the organisation's
  // window of every review or transition (at 10,000 engineers one day of the organisation took 50-650 ms per statement).
  // The titles read here are shown to a reader: through the policy's free-text redaction, like every facade read.
  const [merged, opened, reviewed, moved, blocked] = ts.redact(
    await Promise.all([
      db.all(
        itemRows,
        // The window's range of the narrow (merged_at, author_id) index: the author is filtered in the index, only the
        // members' PRs are read (the wide covering merged-PR index holds no author, so every PR merged that day was).
        sql`SELECT author_id AS person, key, title FROM work_items INDEXED BY work_items_pr_merged_author_idx
       WHERE workspace = ${workspace} AND kind = 'pull_request' AND author_id IS NOT NULL AND merged_at >= ${since} AND merged_at < ${until}
         AND author_id IN (${inList}) ORDER BY merged_at, key`,
      ),
      db.all(
        itemRows,
        sql`SELECT author_id AS person, key, title FROM work_items WHERE workspace = ${workspace} AND kind = 'pull_request' AND created_at >= ${since} AND created_at < ${until} AND author_id IN (${inList}) ORDER BY created_at`,
      ),
      db.all(
        stateRows,
        // INDEXED BY: one range of (reviewer, submitted_at) per member; the planner preferred the whole window's reviews.
        sql`SELECT v.reviewer_id AS person, w.key, w.title, v.state FROM reviews v INDEXED BY reviews_reviewer_idx
       CROSS JOIN work_items w ON w.workspace = v.workspace AND w.id = v.work_item_id
       WHERE v.workspace = ${workspace} AND v.submitted_at >= ${since} AND v.submitted_at < ${until} AND v.reviewer_id IN (${inList}) AND v.reviewer_id IS NOT w.author_id
       ORDER BY v.submitted_at, w.key, v.seq`,
      ),
      db.all(
        moveRows,
        // The members' assignments first (CROSS JOIN keeps the order), then each item's transitions in the window.
        sql`SELECT a.person_id AS person, w.key, w.title, t.from_status, t.to_status FROM work_item_assignees a
       CROSS JOIN transitions t ON t.workspace = a.workspace AND t.work_item_id = a.work_item_id
       CROSS JOIN work_items w ON w.workspace = t.workspace AND w.id = t.work_item_id
       WHERE a.workspace = ${workspace} AND a.person_id IN (${inList}) AND t.at >= ${since} AND t.at < ${until} ORDER BY t.at, t.work_item_id, t.seq`,
      ),
      db.all(
        stateRows,
        // The members' assignments, then their items: a team's few thousand, not the organisation's blocked or flagged
        // items read twice (their index holds no id) and sorted.
        sql`SELECT a.person_id AS person, w.key, w.title, w.state FROM work_item_assignees a
       CROSS JOIN work_items w ON w.workspace = a.workspace AND w.id = a.work_item_id
       WHERE a.workspace = ${workspace} AND a.person_id IN (${inList}) AND (lower(w.state) = 'blocked' OR w.flagged = 1)
         AND w.kind <> 'pull_request' AND COALESCE(w.status_category, '') <> 'done' ORDER BY w.key`,
      ),
    ]),
  );
  const reports = await latestReports(ts, people, since);
  const of = <R extends Item, T>(rows: R[], person: string, map: (r: R) => T) => rows.filter((r) => r.person === person).map(map);
  const digestPeople: PersonStandup[] = people.map((p) => ({
    person: { id: p.id, name: p.name },
    report: reports.get(p.id) ?? null,
    merged: of(merged, p.id, (r) => ({ key: r.key, title: r.title })),
    opened: of(opened, p.id, (r) => ({ key: r.key, title: r.title })),
    reviewed: of(reviewed, p.id, (r) => ({ key: r.key, title: r.title, state: r.state })),
    moved: collapseMoves(of(moved, p.id, (r) => ({ key: r.key, title: r.title, from: r.from_status, to: r.to_status }))),
    blocked: of(blocked, p.id, (r) => ({ key: r.key, title: r.title, status: r.state })),
  }));
  // Incremental, and ages up to a minute old are fine for a digest (its data never is).
  await ts.signals.refresh({ maxAgeMs: 60_000 });
  const blockers = (await ts.signals.list({ team: team.id, limit: 500 }))
    .filter((s) => BLOCKER_KINDS.includes(s.kind))
    .map(({ kind, severity, title, subject }) => ({ kind, severity, title, subject }));
  const digest = {
    team: { id: team.id, name: team.name },
    since: new Date(since).toISOString(),
    until: now.toISOString(),
    people: digestPeople,
    blockers,
  };
  return { ...digest, text: renderStandup(digest) };
}

/** The day `at` falls on where `zone` is (UTC without one), `YYYY-MM-DD`. */
const localDayOf = (at: number, zone: string | undefined) =>
  new Date(at + (zone === undefined ? 0 : timeZoneOffset(zone, at))).toISOString().slice(0, 10);

/**
 * Each member's newest report of a day from their local day of `since` on, one `ts.reports.list` per member (a seek
 * of the person's days; the team's days would read every report of the organisation on those days).
 */
async function latestReports(
  ts: TeamState,
  people: readonly { id: string; timeZone?: string }[],
  since: number,
): Promise<Map<string, StandupReport>> {
  const latest = new Map<string, StandupReport>();
  for (const person of people) {
    const [report] = (await ts.reports.list({ person: person.id, from: localDayOf(since, person.timeZone), limit: 1 })).items;
    if (report) latest.set(person.id, standupReport(report));
  }
  return latest;
}

const standupReport = (report: Report): StandupReport => ({
  day: report.day,
  text: report.text,
  ...(report.blockers === undefined ? {} : { blockers: report.blockers }),
});

// Several moves of one item in the window read as one: from its first status to its last.
function collapseMoves(moves: PersonStandup['moved']): PersonStandup['moved'] {
  const byKey = new Map<string, PersonStandup['moved'][number]>();
  for (const move of moves) {
    const seen = byKey.get(move.key);
    byKey.set(move.key, seen ? { ...seen, to: move.to } : move);
  }
  return [...byKey.values()];
}

/** Lines of a report shown in the text: at most this many (then `…`). */
const REPORT_LINES = 8;
const REPORT_INDENT = ' '.repeat(12);

// The report's own lines, each one line of data (no escapes, at most 200 characters), blank lines left out so a
// report stays one paragraph of its person's section; the blockers on one line.
function reportLines(report: StandupReport | null): string[] {
  if (report === null) return [];
  const lines = report.text
    .split('\n')
    .map((line) => field(line.trimEnd()))
    .filter((line) => line.trim() !== '');
  const shown = lines.length > REPORT_LINES ? [...lines.slice(0, REPORT_LINES - 1), '…'] : lines;
  const blockers = report.blockers
    ?.split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '')
    .join(' ');
  return [
    `  report    ${dayName(report.day)}`,
    ...shown.map((line) => `${REPORT_INDENT}${line}`),
    ...(blockers ? [`  blockers  ${field(blockers)}`] : []),
  ];
}

/** `Fri 20 Nov` for `2026-11-20`. */
const dayName = (day: string) =>
  new Date(`${day}T00:00:00Z`).toLocaleDateString('en-GB', { weekday: 'short', day: 'numeric', month: 'short', timeZone: 'UTC' });

function renderStandup(d: Omit<StandupDigest, 'text'>): string {
  const lines = [`Standup for ${field(d.team.name)}, since ${shortDate(d.since)}`, ''];
  for (const p of d.people) {
    const entries = [
      ...reportLines(p.report),
      ...p.merged.map((i) => `  merged    ${field(i.key)} ${field(i.title)}`),
      ...p.opened.map((i) => `  opened    ${field(i.key)} ${field(i.title)}`),
      ...p.reviewed.map((i) => `  reviewed  ${field(i.key)} ${field(i.title)} (${i.state.replace('_', ' ')})`),
      ...p.moved.map((i) => `  moved     ${field(i.key)} ${field(i.from ?? 'new')} → ${field(i.to)}`),
      ...p.blocked.map((i) => `  blocked   ${field(i.key)} ${field(i.title)} (${field(i.status)})`),
    ];
    lines.push(field(p.person.name), ...(entries.length > 0 ? entries : ['  nothing recorded since then']), '');
  }
  lines.push(
    'Team blockers',
    ...(d.blockers.length > 0 ? d.blockers.map((b) => `  ${b.severity === 'critical' ? '!!' : ' !'} ${field(b.title)}`) : ['  none']),
  );
  return `${lines.join('\n')}\n`;
}
