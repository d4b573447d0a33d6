import { formatPoints, type TeamState, TeamStateError, unknownId } from '@teamstate/core';
import { columns, createStoreReader, integer, nullable, real, sql, text } from '@teamstate/core/store';
import { field } from './digest-text.js';
import { requireTeam, shortDate } from './team-scope.js';

const sprintItemRows = columns({
  id: text,
  key: text,
  title: text,
  state: text,
  status_category: nullable(text),
  points: real,
  resolved_at: nullable(integer),
  flagged: integer,
  due_at: nullable(integer),
});

const DAY = 86_400_000;
const plural = (n: number, noun: string) => `${n} ${noun}${n === 1 ? '' : 's'}`;

interface SprintItem {
  key: string;
  title: string;
  status: string;
  points: number;
  committed: boolean;
  done: boolean;
}

/** How a sprint is going: scope, done vs committed, burn vs ideal, at-risk items, carry-over forecast. */
export interface SprintHealth {
  sprint: { id: string; name: string; team: string; state: string; startAt: string; endAt: string };
  scope: { committedItems: number; committedPoints: number; addedItems: number; addedPoints: number };
  done: { items: number; points: number; committedPoints: number };
  burn: { elapsed: number; idealRemainingPoints: number; remainingPoints: number; status: 'ahead' | 'on_track' | 'behind' };
  atRisk: { key: string; title: string; status: string; why: string }[];
  forecast: { projectedPoints: number; carryOverPoints: number; carryOverItems: string[] };
  text: string;
}

/**
 * The health of a team's active sprint (or of the sprint given): items added after the start count as
 * scope change; the forecast extends the points done so far at the same daily rate to the end date.
 */
export async function sprintHealth(ts: TeamState, query: { team?: string; sprint?: string }): Promise<SprintHealth> {
  if (!query.team && !query.sprint)
    throw new TeamStateError('invalid_argument', 'team or sprint: give a team id (its active sprint) or a sprint id');
  let sprint = query.sprint ? await ts.sprints.get(query.sprint) : undefined;
  if (query.sprint && !sprint) throw await unknownSprint(ts, query.sprint, query.team);
  if (sprint && query.team !== undefined) {
    // Both given: they must agree, or the answer would silently be about another team.
    const team = await requireTeam(ts, query.team);
    if (sprint.team !== team.id) {
      throw new TeamStateError(
        'invalid_argument',
        `sprint: "${sprint.id}" is a sprint of team "${sprint.team}", not of "${team.id}" (give one of them, or matching ones)`,
      );
    }
  }
  if (!sprint) {
    const team = await requireTeam(ts, query.team!);
    [sprint] = await ts.sprints.list({ team: team.id, state: 'active' });
    if (!sprint) throw new TeamStateError('not_found', `team: "${team.id}" has no active sprint (try sprint: <id> for a closed one)`);
  }
  const now = ts.now().getTime();
  const start = Date.parse(sprint.startAt);
  const end = Date.parse(sprint.completedAt ?? sprint.endAt);
  const committed = new Set(sprint.committedItems ?? []);
  const db = createStoreReader(ts.store, ts.workspace);
  // The titles read here are shown to a reader: through the policy's free-text redaction, like every facade read.
  const rows = ts.redact(
    await db.all(
      sprintItemRows,
      sql`SELECT w.id, w.key, w.title, w.state, w.status_category, COALESCE(w.story_points, 0) AS points, w.resolved_at, COALESCE(w.flagged, 0) AS flagged, w.due_at
     FROM work_items w WHERE w.workspace = ${ts.workspace} AND (w.sprint_id = ${sprint.id} OR w.id IN (SELECT work_item_id FROM sprint_committed_items WHERE workspace = ${ts.workspace} AND sprint_id = ${sprint.id})) ORDER BY w.key`,
    ),
  );
  const at = Math.min(now, end);
  const items: (SprintItem & { flagged: boolean; dueAt: number | null })[] = rows.map((r) => ({
    key: r.key,
    title: r.title,
    status: r.state,
    points: r.points,
    committed: committed.has(r.id),
    done: r.status_category === 'done' && r.resolved_at !== null && r.resolved_at <= at,
    flagged: r.flagged === 1,
    dueAt: r.due_at,
  }));
  const sum = (list: SprintItem[]) => list.reduce((n, i) => n + i.points, 0);
  const committedItems = items.filter((i) => i.committed);
  const added = items.filter((i) => !i.committed);
  const done = items.filter((i) => i.done);
  const committedPoints = sum(committedItems);
  const elapsed = Math.max(0, Math.min(1, (at - start) / (end - start)));
  const donePoints = sum(done);
  const totalPoints = committedPoints + sum(added);
  const remaining = totalPoints - donePoints;
  const ideal = totalPoints * (1 - elapsed);
  const projected = elapsed > 0 ? Math.min(totalPoints, donePoints / elapsed) : 0;
  const status = remaining <= ideal - 0.1 * totalPoints ? 'ahead' : remaining > ideal + 0.1 * totalPoints ? 'behind' : 'on_track';
  const atRisk = items
    .filter((i) => !i.done)
    .flatMap((i) => {
      if (i.status.toLowerCase() === 'blocked' || i.flagged)
        return [{ key: i.key, title: i.title, status: i.status, why: i.flagged ? 'flagged' : 'blocked' }];
      if (i.dueAt !== null && i.dueAt < now) return [{ key: i.key, title: i.title, status: i.status, why: `due ${shortDate(i.dueAt)}` }];
      if (elapsed >= 0.5 && /^(to do|open|backlog|new)$/i.test(i.status))
        return [{ key: i.key, title: i.title, status: i.status, why: 'not started' }];
      return [];
    });
  // Carry-over: what the projected pace will not reach, largest items of the unfinished last.
  const open = items.filter((i) => !i.done).sort((a, b) => a.points - b.points || a.key.localeCompare(b.key));
  let budget = projected - donePoints;
  const carryOver: string[] = [];
  for (const item of open) {
    if (budget >= item.points) budget -= item.points;
    else carryOver.push(item.key);
  }
  const round = (n: number) => Math.round(n * 10) / 10;
  const health = {
    sprint: { id: sprint.id, name: sprint.name, team: sprint.team, state: sprint.state, startAt: sprint.startAt, endAt: sprint.endAt },
    scope: { committedItems: committedItems.length, committedPoints, addedItems: added.length, addedPoints: sum(added) },
    done: { items: done.length, points: donePoints, committedPoints: sum(done.filter((i) => i.committed)) },
    burn: { elapsed: round(elapsed), idealRemainingPoints: round(ideal), remainingPoints: remaining, status } as SprintHealth['burn'],
    atRisk,
    forecast: { projectedPoints: round(projected), carryOverPoints: round(totalPoints - projected), carryOverItems: carryOver },
  };
  // Days left as they are, to one decimal (7.2, not rounded up to 8); a closed sprint is over, whatever the clock says.
  const daysLeft = Math.max(0, Math.round(((end - now) / DAY) * 10) / 10);
  const closed = sprint.state === 'closed';
  const headline = closed
    ? `closed (ended ${shortDate(sprint.completedAt ?? sprint.endAt)})`
    : `${health.burn.status.replace('_', ' ')}, ${daysLeft.toFixed(1)} day${daysLeft === 1 ? '' : 's'} left (ends ${shortDate(sprint.endAt)})`;
  const text = [
    `${field(sprint.name)}: ${headline}`,
    `  scope     ${formatPoints(committedPoints)} committed (${plural(committedItems.length, 'item')}), ${formatPoints(health.scope.addedPoints)} added since the start (${plural(added.length, 'item')})`,
    closed
      ? `  done      ${formatPoints(donePoints)} of ${formatPoints(totalPoints)} (${plural(done.length, 'item')}); ${formatPoints(remaining)} not done by the end`
      : `  done      ${formatPoints(donePoints)} of ${formatPoints(totalPoints)} (${plural(done.length, 'item')}); ideal burn would leave ${formatPoints(ideal)}, ${formatPoints(remaining)} remain`,
    closed
      ? `  carried   ${formatPoints(remaining)} over${carryOver.length ? ` (${carryOver.map(field).join(', ')})` : ''}`
      : `  forecast  about ${formatPoints(projected)} by the end; ${formatPoints(totalPoints - projected)} likely to carry over${carryOver.length ? ` (${carryOver.map(field).join(', ')})` : ''}`,
    ...(atRisk.length > 0 ? ['  at risk', ...atRisk.map((i) => `    ${field(i.key)} ${field(i.title)} (${field(i.why)})`)] : []),
  ].join('\n');
  return { ...health, text: `${text}\n` };
}

/** A sprint id that names none: the closest one if it is a likely typo, and the newest sprints (of the team, if given). */
async function unknownSprint(ts: TeamState, id: string, team: string | undefined): Promise<TeamStateError> {
  const sprints = await ts.sprints.list(team === undefined ? {} : { team });
  const { message } = unknownId(
    'sprint',
    id,
    sprints.map((s) => s.id),
    { what: 'sprint', list: 'never' },
  );
  const newest = sprints.slice(0, 10).map((s) => `${s.id} (${s.team}, ${s.state})`);
  return new TeamStateError(
    'not_found',
    `${message}; ${newest.length === 0 ? 'this workspace has no sprints' : `newest sprints: ${newest.join(', ')}`}`,
  );
}
