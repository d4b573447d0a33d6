import { TeamStateError, unknownId } from '../../kernel/errors.js';
import type { Sprint } from '../../kernel/model/delivery.js';
import { isDay } from '../../kernel/model/local-day.js';
import type { Report } from '../../kernel/model/report.js';
import type { TeamRisk } from '../../kernel/model/team-risk.js';
import { formatTimestamp, parseTimestamp } from '../../kernel/model/timestamp.js';
import type { Store } from '../../kernel/store/open-store.js';
import { columns, integer, nullable, text } from '../../kernel/store/row-decoder.js';
import { safeText } from '../../kernel/text/safe-text.js';
import type { Reading } from '../../records/identity/viewer.js';
import type { MetricResult } from '../../spec/metric-calculator.js';

/** What a line of a meeting pack points at. */
export interface MeetingEvidence {
  kind: 'report' | 'pull_request' | 'issue' | 'signal' | 'metric' | 'risk' | 'incident' | 'deployment' | 'sprint';
  /** The report's, work item's, incident's, risk's or deployment's id, the signal's fingerprint, the metric's id. */
  ref: string;
  /** What people call it: a PR's or issue's key, a sprint's name. */
  label?: string;
}

/** One line of a meeting pack, with the records it rests on. */
export interface MeetingLine {
  text: string;
  at?: string;
  evidence: MeetingEvidence[];
}

/** A section of a pack: its lines, or why the viewer may not read them (`withheld`). */
export interface MeetingSection {
  id: string;
  title: string;
  lines: MeetingLine[];
  /** Set when the reading rule keeps this section's lines from the viewer: what they lack. */
  withheld?: string;
}

/** A prepared meeting: sections of lines, each linked to its evidence, and the same as markdown. */
export interface MeetingPack {
  kind: 'one_on_one' | 'retro';
  title: string;
  from: string;
  to: string;
  person?: { id: string; name: string };
  team?: { id: string; name: string };
  sprint?: { id: string; name: string; previous?: { id: string; name: string } };
  sections: MeetingSection[];
  /** Markdown: one bullet per line, its evidence in brackets. */
  text: string;
}

/** The timeline entries a pack reads (the reports feature's `TimelineEntry`, as far as it is used here). */
type TimelineItem = { id: string; key: string; title: string; kind: string };
type TimelineLike =
  | { at: string; kind: 'report' }
  | { at: string; kind: 'pr.opened' | 'pr.merged'; workItem: TimelineItem }
  | { at: string; kind: 'pr.reviewed'; workItem: TimelineItem; review: { state: string } }
  | { at: string; kind: 'issue.moved'; workItem: TimelineItem; from: string | null; to: string }
  | { at: string; kind: 'deployment.shipped'; deployment: { id: string; repository: string; environment: string } };

/** A stored signal, as far as a pack reads it. */
interface SignalLike {
  fingerprint: string;
  kind: string;
  title: string;
  subject: { type: string; id: string };
  lastSeenAt: string;
}

/** What meeting packs read, each already bound to the viewer (the reading rule applies inside them). */
export interface MeetingDeps {
  store: Pick<Store, 'execute'>;
  workspace: string;
  clock: () => Date;
  reading: Reading;
  reports: {
    list(query: { person?: string; team?: string; from?: string; to?: string; cursor?: string; limit?: number }): Promise<{
      items: Report[];
      nextCursor?: string;
    }>;
  };
  timeline(
    person: string,
    query: { from: string; to: string; cursor?: string; limit?: number },
  ): Promise<{ items: unknown[]; nextCursor?: string }>;
  signals: { list(query: { status?: 'open'; limit?: number; team?: string }): Promise<SignalLike[]> };
  risks: { list(query: { owner?: string; team?: string; status?: 'all' }): Promise<TeamRisk[]> };
  metrics: {
    list(): { id: string; unit?: string }[];
    compute(ids: readonly string[], query: { from: string; to: string; team?: string }): Promise<Record<string, MetricResult>>;
  };
  sprints: { list(query: { team?: string }): Promise<Sprint[]> };
}

/** What a pack reads that is the same for every viewer: the facade's store, clock, metrics and sprints. */
export type SharedMeetingDeps = Pick<MeetingDeps, 'store' | 'workspace' | 'metrics' | 'sprints'> & { now(): Date };

/**
 * The facade's `ts.meetings`: `viewer` holds the readers bound to one viewer (the reading rule applies inside them),
 * `shared` returns what is the same for everyone (read when a pack is made, so the facade may be built after this).
 */
export function createMeetings(
  viewer: Pick<MeetingDeps, 'reading' | 'reports' | 'timeline' | 'signals' | 'risks'>,
  shared: () => SharedMeetingDeps,
) {
  const deps = (): MeetingDeps => {
    const { now, ...rest } = shared();
    return { ...rest, ...viewer, clock: now };
  };
  return {
    oneOnOne: (person: string, query?: { from?: string; to?: string }) => oneOnOne(deps(), person, query),
    retro: (team: string, query?: { sprint?: string }) => retro(deps(), team, query),
  };
}

const DAY = 86_400_000;
const line = (value: string, max = 200) => safeText(value, { singleLine: true, maxLength: max });

/** A bound of a window: an ISO timestamp, or a day `YYYY-MM-DD` (UTC; `to` takes the whole day). */
function bound(field: 'from' | 'to', value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'string' && isDay(value)) return Date.parse(`${value}T00:00:00Z`) + (field === 'to' ? DAY : 0);
  const at = typeof value === 'string' ? parseTimestamp(value) : undefined;
  if (at === undefined)
    throw new TeamStateError('invalid_argument', `${field}: expected an ISO timestamp or a day YYYY-MM-DD, got ${JSON.stringify(value)}`);
  return at;
}

const day = (ms: number) => formatTimestamp(ms).slice(0, 10);
const personRow = columns({ id: text, name: text });
const teamRow = columns({ id: text, name: text });

async function requirePerson(deps: MeetingDeps, person: unknown) {
  if (typeof person !== 'string' || person === '')
    throw new TeamStateError('invalid_argument', `person: expected a person id, got ${JSON.stringify(person)}`);
  const found = personRow.first(
    (await deps.store.execute('SELECT id, name FROM people WHERE workspace = ? AND id = ?', [deps.workspace, person])).rows,
  );
  if (found) return found;
  const known = columns({ id: text })
    .all((await deps.store.execute('SELECT id FROM people WHERE workspace = ? ORDER BY id', [deps.workspace])).rows)
    .map((r) => r.id);
  throw unknownId('person', person, known, { what: 'person' });
}

async function requireTeam(deps: MeetingDeps, team: unknown) {
  if (typeof team !== 'string' || team === '')
    throw new TeamStateError('invalid_argument', `team: expected a team id, got ${JSON.stringify(team)}`);
  const found = teamRow.first(
    (await deps.store.execute('SELECT id, name FROM teams WHERE workspace = ? AND id = ?', [deps.workspace, team])).rows,
  );
  if (found) return found;
  const known = columns({ id: text })
    .all((await deps.store.execute('SELECT id FROM teams WHERE workspace = ? ORDER BY id', [deps.workspace])).rows)
    .map((r) => r.id);
  throw unknownId('team', team, known, { what: 'team' });
}

/** Why the viewer may not read `kind` of `subject`, or `undefined` when they may. */
async function refusal(deps: MeetingDeps, kind: 'reports' | 'wellbeing', subject: { person?: string; team?: string }) {
  try {
    await deps.reading.check(kind, subject);
    return undefined;
  } catch (error) {
    if (TeamStateError.isInstance(error) && error.code === 'forbidden') return error.message;
    throw error;
  }
}

async function allReports(deps: MeetingDeps, query: { person?: string; team?: string; from: string; to: string }): Promise<Report[]> {
  const out: Report[] = [];
  let cursor: string | undefined;
  do {
    const page = await deps.reports.list({ ...query, limit: 500, ...(cursor ? { cursor } : {}) });
    out.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor && out.length < 5_000);
  return out.sort((a, b) => (a.day < b.day ? -1 : a.day > b.day ? 1 : a.person < b.person ? -1 : 1));
}

const itemEvidence = (item: TimelineItem): MeetingEvidence => ({
  kind: item.kind === 'pull_request' ? 'pull_request' : 'issue',
  ref: item.id,
  label: item.key,
});

function render(pack: Omit<MeetingPack, 'text'>): string {
  const out = [`# ${line(pack.title)}`, '', `${pack.from.slice(0, 10)} to ${pack.to.slice(0, 10)}`, ''];
  for (const section of pack.sections) {
    out.push(`## ${section.title}`, '');
    if (section.withheld) out.push(`_Not shown: ${line(section.withheld, 300)}_`);
    else if (section.lines.length === 0) out.push('- nothing in this window');
    for (const l of section.lines) {
      const refs = l.evidence.map((e) => `${e.kind} ${line(e.label ?? e.ref, 120)}`).join('; ');
      out.push(`- ${line(l.text, 300)}${refs ? ` [${refs}]` : ''}`);
    }
    out.push('');
  }
  return `${out.join('\n').trimEnd()}\n`;
}

/**
 * A 1:1 pack for `person` over `[from, to)` (default: the 14 days before now): their reports and the blockers they
 * reported, their work and reviews, the wellbeing prompts the viewer may see, and the open risks they own. Reports,
 * blockers and wellbeing follow the reading rule: a viewer without the right sees those sections withheld, with why.
 */
export async function oneOnOne(deps: MeetingDeps, person: string, query: { from?: string; to?: string } = {}): Promise<MeetingPack> {
  const who = await requirePerson(deps, person);
  const to = bound('to', query.to) ?? deps.clock().getTime();
  const from = bound('from', query.from) ?? to - 14 * DAY;
  if (from >= to) throw new TeamStateError('invalid_argument', `from: must be before to (${formatTimestamp(to)})`);
  const window = { from: formatTimestamp(from), to: formatTimestamp(to) };

  const reportsWithheld = await refusal(deps, 'reports', { person: who.id });
  const reports = reportsWithheld ? [] : await allReports(deps, { person: who.id, from: day(from), to: day(to - 1) });
  const entries: TimelineLike[] = [];
  let cursor: string | undefined;
  do {
    const page = await deps.timeline(who.id, { ...window, limit: 500, ...(cursor ? { cursor } : {}) });
    entries.push(...(page.items as TimelineLike[]));
    cursor = page.nextCursor;
  } while (cursor && entries.length < 5_000);

  const work: MeetingLine[] = [];
  const reviews: MeetingLine[] = [];
  for (const entry of entries) {
    if (entry.kind === 'pr.opened' || entry.kind === 'pr.merged')
      work.push({
        at: entry.at,
        text: `${entry.kind === 'pr.opened' ? 'Opened' : 'Merged'} ${line(entry.workItem.key)} ${line(entry.workItem.title)}`,
        evidence: [itemEvidence(entry.workItem)],
      });
    else if (entry.kind === 'issue.moved')
      work.push({
        at: entry.at,
        text: `Moved ${line(entry.workItem.key)} ${line(entry.workItem.title)}: ${line(entry.from ?? 'new')} → ${line(entry.to)}`,
        evidence: [itemEvidence(entry.workItem)],
      });
    else if (entry.kind === 'deployment.shipped')
      work.push({
        at: entry.at,
        text: `Shipped to ${line(entry.deployment.environment)} in ${line(entry.deployment.repository)}`,
        evidence: [{ kind: 'deployment', ref: entry.deployment.id }],
      });
    else if (entry.kind === 'pr.reviewed')
      reviews.push({
        at: entry.at,
        text: `Reviewed ${line(entry.workItem.key)} ${line(entry.workItem.title)} (${entry.review.state.replace('_', ' ')})`,
        evidence: [itemEvidence(entry.workItem)],
      });
  }

  // Blocked work assigned to them (visible to everyone) and the blockers they reported (their words: the rule applies).
  const blocked = columns({ id: text, key: text, title: text, state: text, kind: text }).all(
    (
      await deps.store.execute(
        `SELECT w.id, w.key, w.title, w.state, w.kind FROM work_item_assignees a
         JOIN work_items w ON w.workspace = a.workspace AND w.id = a.work_item_id
         WHERE a.workspace = ? AND a.person_id = ? AND (lower(w.state) = 'blocked' OR w.flagged = 1)
           AND w.kind <> 'pull_request' AND COALESCE(w.status_category, '') <> 'done' ORDER BY w.key`,
        [deps.workspace, who.id],
      )
    ).rows,
  );
  const blockers: MeetingLine[] = [
    ...reports
      .filter((r) => r.blockers?.trim())
      .map((r) => ({ at: r.createdAt, text: `${r.day}: ${line(r.blockers!)}`, evidence: [{ kind: 'report' as const, ref: r.id }] })),
    ...blocked.map((w) => ({
      text: `${line(w.key)} ${line(w.title)} is ${line(w.state)}`,
      evidence: [{ kind: w.kind === 'pull_request' ? ('pull_request' as const) : ('issue' as const), ref: w.id, label: w.key }],
    })),
  ];

  const wellbeingWithheld = await refusal(deps, 'wellbeing', { person: who.id });
  const wellbeing = wellbeingWithheld
    ? []
    : (await deps.signals.list({ status: 'open', limit: 500 }))
        .filter((s) => s.subject.type === 'person' && s.subject.id === who.id && s.kind.startsWith('person.'))
        .map((s) => ({
          at: s.lastSeenAt,
          text: `${line(s.title)}: a prompt for a conversation, not a judgement`,
          evidence: [{ kind: 'signal' as const, ref: s.fingerprint }],
        }));
  const risks = (await deps.risks.list({ owner: who.id })).map((r) => ({
    text: `${line(r.title)} (${r.severity}, ${r.status}${r.reviewBy ? `, review by ${r.reviewBy}` : ''})`,
    evidence: [{ kind: 'risk' as const, ref: r.id }],
  }));

  const pack: Omit<MeetingPack, 'text'> = {
    kind: 'one_on_one',
    title: `1:1 with ${line(who.name)}`,
    ...window,
    person: { id: who.id, name: who.name },
    sections: [
      {
        id: 'reports',
        title: 'What they reported',
        lines: reports.map((r) => ({ at: r.createdAt, text: `${r.day}: ${line(r.text)}`, evidence: [{ kind: 'report', ref: r.id }] })),
        ...(reportsWithheld ? { withheld: reportsWithheld } : {}),
      },
      {
        id: 'blockers',
        title: 'Blockers',
        lines: blockers,
        ...(reportsWithheld ? { withheld: `reported blockers: ${reportsWithheld}` } : {}),
      },
      { id: 'work', title: 'Work', lines: work },
      { id: 'reviews', title: 'Reviews', lines: reviews },
      { id: 'wellbeing', title: 'Wellbeing prompts', lines: wellbeing, ...(wellbeingWithheld ? { withheld: wellbeingWithheld } : {}) },
      { id: 'risks', title: 'Open risks they own', lines: risks },
    ],
  };
  return { ...pack, text: render(pack) };
}

const RETRO_METRICS = ['sprint_completion', 'velocity', 'throughput', 'pr_cycle_time', 'deployment_frequency', 'change_failure_rate'];

function showValue(result: MetricResult | undefined): string {
  if (!result || result.value === null) return 'no data';
  const value = Math.round(result.value * 100) / 100;
  return `${value}${result.unit ? ` ${result.unit}` : ''}`;
}

/**
 * A retrospective pack for a team's sprint (default: its latest closed sprint, else the active one): carry-over,
 * metric deltas against the previous sprint, incidents in the sprint, and the blockers people reported (their words:
 * the reading rule applies; a viewer without the right sees that section withheld, with why).
 */
export async function retro(deps: MeetingDeps, team: string, query: { sprint?: string } = {}): Promise<MeetingPack> {
  const found = await requireTeam(deps, team);
  const sprints = await deps.sprints.list({ team: found.id });
  let sprint: Sprint | undefined;
  if (query.sprint !== undefined) {
    sprint = sprints.find((s) => s.id === query.sprint);
    if (!sprint)
      throw unknownId(
        'sprint',
        query.sprint,
        sprints.map((s) => s.id),
        { what: `sprint of team ${found.id}` },
      );
  } else {
    sprint = sprints.find((s) => s.state === 'closed') ?? sprints.find((s) => s.state === 'active');
    if (!sprint) throw new TeamStateError('invalid_argument', `sprint: team ${found.id} has no closed or active sprint; give one`);
  }
  const start = parseTimestamp(sprint.startAt)!;
  const end = parseTimestamp(sprint.completedAt ?? sprint.endAt)!;
  const previous = sprints.find((s) => parseTimestamp(s.startAt)! < start);
  const window = { from: formatTimestamp(start), to: formatTimestamp(end) };

  // Carry-over: the sprint's items (committed or added) not done by its end.
  const carried = columns({ id: text, key: text, title: text, state: text, points: nullable(integer) }).all(
    (
      await deps.store.execute(
        `SELECT w.id, w.key, w.title, w.state, w.story_points AS points FROM work_items w
         WHERE w.workspace = ?1 AND w.kind <> 'pull_request'
           AND (w.sprint_id = ?2 OR w.id IN (SELECT work_item_id FROM sprint_committed_items WHERE workspace = ?1 AND sprint_id = ?2))
           AND (w.resolved_at IS NULL OR w.resolved_at > ?3)
         ORDER BY w.key`,
        [deps.workspace, sprint.id, end],
      )
    ).rows,
  );

  const known = new Set(deps.metrics.list().map((m) => m.id));
  const ids = RETRO_METRICS.filter((id) => known.has(id));
  const now = ids.length ? await deps.metrics.compute(ids, { ...window, team: found.id }) : {};
  const before =
    ids.length && previous
      ? await deps.metrics.compute(ids, {
          from: previous.startAt,
          to: formatTimestamp(parseTimestamp(previous.completedAt ?? previous.endAt)!),
          team: found.id,
        })
      : {};
  const metrics: MeetingLine[] = ids.map((id) => {
    const a = now[id];
    const b = before[id];
    const delta =
      a?.value != null && b?.value != null ? `, ${a.value - b.value >= 0 ? '+' : ''}${Math.round((a.value - b.value) * 100) / 100}` : '';
    return {
      text: `${id}: ${showValue(a)} (previous sprint ${previous ? showValue(b) : 'none'}${delta})`,
      evidence: [{ kind: 'metric', ref: id }],
    };
  });

  const incidents = columns({ id: text, title: text, severity: nullable(text), created_at: integer }).all(
    (
      await deps.store.execute(
        `SELECT i.id, i.title, i.severity, i.created_at FROM incidents i
         JOIN repositories r ON r.workspace = i.workspace AND r.id = i.repository_id
         WHERE i.workspace = ? AND r.team_id = ? AND i.created_at >= ? AND i.created_at < ? ORDER BY i.created_at, i.id`,
        [deps.workspace, found.id, start, end],
      )
    ).rows,
  );

  const withheld = await refusal(deps, 'reports', { team: found.id });
  const reported = withheld
    ? []
    : (await allReports(deps, { team: found.id, from: day(start), to: day(end - 1) })).filter((r) => r.blockers?.trim());

  const pack: Omit<MeetingPack, 'text'> = {
    kind: 'retro',
    title: `Retro: ${line(found.name)} ${line(sprint.name)}`,
    ...window,
    team: { id: found.id, name: found.name },
    sprint: { id: sprint.id, name: sprint.name, ...(previous ? { previous: { id: previous.id, name: previous.name } } : {}) },
    sections: [
      {
        id: 'carry_over',
        title: 'Carried over',
        lines: carried.map((w) => ({
          text: `${line(w.key)} ${line(w.title)} (${line(w.state)}${w.points === null ? '' : `, ${w.points} points`})`,
          evidence: [{ kind: 'issue', ref: w.id, label: w.key }],
        })),
      },
      { id: 'metrics', title: previous ? `Metrics against ${line(previous.name)}` : 'Metrics', lines: metrics },
      {
        id: 'incidents',
        title: 'Incidents',
        lines: incidents.map((i) => ({
          at: formatTimestamp(i.created_at),
          text: `${line(i.id)}${i.severity ? ` (${line(i.severity)})` : ''} ${line(i.title)}`,
          evidence: [{ kind: 'incident', ref: i.id }],
        })),
      },
      {
        id: 'blockers',
        title: 'Blockers people reported',
        lines: reported.map((r) => ({
          at: r.createdAt,
          text: `${r.person}, ${r.day}: ${line(r.blockers!)}`,
          evidence: [{ kind: 'report', ref: r.id }],
        })),
        ...(withheld ? { withheld } : {}),
      },
    ],
  };
  return { ...pack, text: render(pack) };
}
