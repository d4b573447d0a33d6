import { TeamStateError, unknownId } from '../../kernel/errors.js';
import type { Sprint } from '../../kernel/model/delivery.js';
import { formatTimestamp, parseTimestamp } from '../../kernel/model/timestamp.js';
import { columns, integer, nullable, text } from '../../kernel/store/row-decoder.js';
import { formatMetricChange, formatMetricValue } from '../../kernel/text/format-values.js';
import { incidentTeam } from '../../records/shared-counts.js';
import type { MetricResult } from '../../spec/metric-calculator.js';
import type { MeetingDeps, MeetingLine, MeetingPack } from './meeting-pack-model.js';
import { allReports, day, refusal, requireTeam } from './meeting-pack-reads.js';
import { block, line, render } from './meeting-pack-text.js';

const RETRO_METRICS = ['sprint_completion', 'velocity', 'throughput', 'pr_cycle_time', 'deployment_frequency', 'change_failure_rate'];
/** The metrics of closed sprints: counted by completion, which is the very end of the sprint's span. */
const SPRINT_METRICS = new Set(['sprint_completion', 'velocity']);

/** The sprint a retro is about, the one before it, and its span (start to completion, else planned end). */
interface RetroSprint {
  sprint: Sprint;
  previous: Sprint | undefined;
  start: number;
  end: number;
}

function showValue(result: MetricResult | undefined): string {
  if (!result || result.value === null) return 'no data';
  return formatMetricValue(result.value, result.unit);
}

/** The sprint's title with its team: `Payments Sprint 7`, not `Payments Payments Sprint 7` when the name says the team. */
function sprintTitle(team: string, sprint: string): string {
  return sprint.toLowerCase().startsWith(team.toLowerCase()) ? sprint : `${team} ${sprint}`;
}

/**
 * A retrospective pack for a team's sprint (default: its latest closed sprint, else the active one): carry-over,
 * metric deltas against the previous sprint, incidents in the sprint, and the blockers people reported (their words:
 * the reading rule applies; a viewer without the right sees that section withheld, with why).
 */
export async function retro(deps: MeetingDeps, team: string, query: { sprint?: string } = {}): Promise<MeetingPack> {
  const found = await requireTeam(deps, team);
  const { sprint, previous, start, end } = await retroSprint(deps, found.id, query.sprint);
  const window = { from: formatTimestamp(start), to: formatTimestamp(end) };
  const carried = await carriedOver(deps, sprint, end);
  const metrics = await metricDeltas(deps, found.id, window, previous);
  const incidents = await sprintIncidents(deps, found.id, start, end);
  const withheld = await refusal(deps, 'reports', { team: found.id });
  const reported = withheld
    ? []
    : (await allReports(deps, { team: found.id, from: day(start), to: day(end - 1) })).flatMap((r) =>
        r.blockers?.trim()
          ? [{ at: r.createdAt, text: `${r.person}, ${r.day}: ${block(r.blockers)}`, evidence: [{ kind: 'report' as const, ref: r.id }] }]
          : [],
      );

  const pack: Omit<MeetingPack, 'text'> = {
    kind: 'retro',
    title: `Retro: ${line(sprintTitle(found.name, sprint.name))}`,
    ...window,
    team: { id: found.id, name: found.name },
    sprint: { id: sprint.id, name: sprint.name, ...(previous ? { previous: { id: previous.id, name: previous.name } } : {}) },
    sections: [
      { id: 'carry_over', title: 'Carried over', lines: carried },
      { id: 'metrics', title: previous ? `Metrics against ${line(previous.name)}` : 'Metrics', lines: metrics },
      { id: 'incidents', title: 'Incidents', lines: incidents },
      { id: 'blockers', title: 'Blockers people reported', lines: reported, ...(withheld ? { withheld } : {}) },
    ],
  };
  return { ...pack, text: render(pack) };
}

/** The sprint asked for, else the team's latest closed sprint, else its active one; and the sprint before it. */
async function retroSprint(deps: MeetingDeps, team: string, asked: string | undefined): Promise<RetroSprint> {
  const sprints = await deps.sprints.list({ team });
  let sprint: Sprint | undefined;
  if (asked !== undefined) {
    sprint = sprints.find((s) => s.id === asked);
    if (!sprint)
      throw unknownId(
        'sprint',
        asked,
        sprints.map((s) => s.id),
        { what: `sprint of team ${team}` },
      );
  } else {
    sprint = sprints.find((s) => s.state === 'closed') ?? sprints.find((s) => s.state === 'active');
    if (!sprint) throw new TeamStateError('invalid_argument', `sprint: team ${team} has no closed or active sprint; give one`);
  }
  // A stored sprint's bounds are timestamps.
  const start = parseTimestamp(sprint.startAt)!;
  const end = parseTimestamp(sprint.completedAt ?? sprint.endAt)!;
  const previous = sprints.find((s) => parseTimestamp(s.startAt)! < start);
  return { sprint, previous, start, end };
}

/** Carry-over: the sprint's items (committed or added) not done by its end. */
async function carriedOver(deps: MeetingDeps, sprint: Sprint, end: number): Promise<MeetingLine[]> {
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
  return carried.map((w) => ({
    text: `${line(w.key)} ${line(w.title)} (${line(w.state)}${w.points === null ? '' : `, ${w.points} points`})`,
    evidence: [{ kind: 'issue', ref: w.id, label: w.key }],
  }));
}

/** The retro's metrics over the sprint, each against the previous sprint's value when there is one. */
async function metricDeltas(
  deps: MeetingDeps,
  team: string,
  window: { from: string; to: string },
  previous: Sprint | undefined,
): Promise<MeetingLine[]> {
  const known = new Set(deps.metrics.list().map((m) => m.id));
  const ids = RETRO_METRICS.filter((id) => known.has(id));
  const previousWindow = previous
    ? { from: previous.startAt, to: formatTimestamp(parseTimestamp(previous.completedAt ?? previous.endAt)!) }
    : undefined;
  const now = await overSprint(deps, ids, window, team);
  const before = previousWindow ? await overSprint(deps, ids, previousWindow, team) : {};
  return ids.map((id) => {
    const a = now[id];
    const b = before[id];
    const delta = a?.value != null && b?.value != null ? `, ${formatMetricChange(a.value - b.value, a.unit)}` : '';
    return {
      text: `${id}: ${showValue(a)} (previous sprint ${previous ? showValue(b) : 'none'}${delta})`,
      evidence: [{ kind: 'metric', ref: id }],
    };
  });
}

/**
 * The metrics over a sprint's span `[start, end)`; the sprint metrics over `[start, end]`, since they count a sprint by
 * its completion, the instant the span ends (a half-open window up to it would leave the sprint itself out).
 */
async function overSprint(
  deps: MeetingDeps,
  ids: string[],
  window: { from: string; to: string },
  team: string,
): Promise<Record<string, MetricResult>> {
  const sprintIds = ids.filter((id) => SPRINT_METRICS.has(id));
  const others = ids.filter((id) => !SPRINT_METRICS.has(id));
  const through = { ...window, to: formatTimestamp(parseTimestamp(window.to)! + 1) };
  return {
    ...(others.length ? await deps.metrics.compute(others, { ...window, team }) : {}),
    ...(sprintIds.length ? await deps.metrics.compute(sprintIds, { ...through, team }) : {}),
  };
}

/** The team's incidents (`incidentTeam`) that began in the sprint. */
async function sprintIncidents(deps: MeetingDeps, team: string, start: number, end: number): Promise<MeetingLine[]> {
  const incidents = columns({ id: text, title: text, severity: nullable(text), created_at: integer }).all(
    (
      await deps.store.execute(
        `SELECT i.id, i.title, i.severity, i.created_at FROM incidents i
         WHERE i.workspace = ? AND ${incidentTeam('i').text} = ? AND i.created_at >= ? AND i.created_at < ? ORDER BY i.created_at, i.id`,
        [deps.workspace, team, start, end],
      )
    ).rows,
  );
  return incidents.map((i) => ({
    at: formatTimestamp(i.created_at),
    text: `${line(i.id)}${i.severity ? ` (${line(i.severity)})` : ''} ${line(i.title)}`,
    evidence: [{ kind: 'incident', ref: i.id }],
  }));
}
