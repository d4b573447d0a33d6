import type { Incident } from '../../kernel/model/delivery.js';
import { formatTimestamp } from '../../kernel/model/timestamp.js';
import { columns, integer, nullable, text } from '../../kernel/store/row-decoder.js';
import { teamLeads } from '../../records/identity/viewer.js';
import type { IncidentBriefDeps } from './brief-deps.js';
import type { BriefPerson } from './brief-types.js';

const personRows = columns({ id: text, name: text });
const shiftRows = columns({
  source: text,
  escalation_policy: text,
  escalation_policy_name: nullable(text),
  level: integer,
  schedule: text,
  schedule_name: nullable(text),
  service: text,
  person_id: text,
  name: text,
  start_at: integer,
  end_at: nullable(integer),
  at: integer,
});
/** An on-call shift covering a moment (`at`), with the person's name. */
type Shift = ReturnType<typeof shiftRows.all>[number];

/** How many on-call shifts a brief lists at most. */
const ONCALL_LIMIT = 20;

/**
 * Who was on call when the incident began (and, while it is open, who is on call `now`): the shifts of its service
 * covering that moment (else of its team: its own policies, else its services'), by level; without any, the team's leads, their role saying no on-call is known.
 */
export async function oncallOf(
  deps: IncidentBriefDeps,
  incident: Incident,
  team: string | undefined,
  start: number,
  now: number | undefined,
): Promise<BriefPerson[]> {
  const moments = now === undefined || now <= start ? [start] : [start, now];
  // The shifts of the incident's service; else (none known for it) those of its team.
  let shifts = await shiftsBy(deps, 'service', incident.service, moments);
  if (shifts.length === 0) {
    // The team's own policies (shifts of no service) when it has any, else every shift of its services.
    shifts = await shiftsBy(deps, 'team_id', team, moments);
    if (shifts.some((s) => s.service === '')) shifts = shifts.filter((s) => s.service === '');
  }
  if (shifts.length > 0) return peopleOnCall(shifts, start);
  if (team === undefined) return [];
  // The team's leads by the one definition (`teams[].leads` and the approvers who are members).
  const leads = (await teamLeads(deps.store, deps.workspace, deps.approvers ?? [])).get(team) ?? [];
  const { rows } = await deps.store.execute(
    'SELECT p.id, p.name FROM people p WHERE p.workspace = ? AND p.id IN (SELECT value FROM json_each(?)) ORDER BY p.name, p.id',
    [deps.workspace, JSON.stringify(leads)],
  );
  return personRows.all(rows).map((p) => ({ person: p.id, name: p.name, role: `lead of team ${team} (no on-call known)` }));
}

/** The shifts of a service (or a team) covering each moment, by level, at most {@link ONCALL_LIMIT} a moment. */
async function shiftsBy(
  deps: IncidentBriefDeps,
  column: 'service' | 'team_id',
  value: string | undefined,
  moments: readonly number[],
): Promise<Shift[]> {
  const found: Shift[] = [];
  if (value === undefined) return found;
  const index = column === 'service' ? 'oncalls_service_idx' : 'oncalls_team_idx';
  for (const at of moments) {
    const { rows } = await deps.store.execute(
      `SELECT o.source, o.escalation_policy, o.escalation_policy_name, o.level, o.schedule, o.schedule_name, o.service, o.person_id,
          p.name, o.start_at, o.end_at, ?3 AS at
        FROM oncalls o INDEXED BY ${index} JOIN people p ON p.workspace = o.workspace AND p.id = o.person_id
        WHERE o.workspace = ?1 AND o.${column} = ?2 AND o.start_at <= ?3 AND (o.end_at IS NULL OR o.end_at > ?3)
        ORDER BY o.level, p.name, o.person_id, o.escalation_policy, o.schedule LIMIT ${ONCALL_LIMIT}`,
      [deps.workspace, value, at],
    );
    found.push(...shiftRows.all(rows));
  }
  return found;
}

/** The people of the shifts, once per policy and level, by level (those on call when it began first). */
function peopleOnCall(shifts: readonly Shift[], start: number): BriefPerson[] {
  const seen = new Set<string>();
  const people: { level: number; order: number; person: BriefPerson }[] = [];
  for (const s of shifts) {
    const key = `${s.source}\u0000${s.escalation_policy}\u0000${s.level}\u0000${s.person_id}`;
    if (seen.has(key)) continue;
    seen.add(key);
    people.push({ level: s.level, order: s.at === start ? 0 : 1, person: shiftPerson(s, start) });
  }
  people.sort((a, b) => a.level - b.level || a.order - b.order);
  return people.slice(0, ONCALL_LIMIT).map((p) => p.person);
}

/** A shift's person, their role naming the level, policy and schedule, and the shift's bounds when it has them. */
function shiftPerson(s: Shift, start: number): BriefPerson {
  const bounded = s.start_at !== 0 || s.end_at !== null;
  const when = !bounded ? '' : s.at === start ? ' when it began' : ' now';
  const policy = s.escalation_policy_name ?? s.escalation_policy;
  const schedule = s.schedule === '' ? '' : ` (${s.schedule_name ?? s.schedule})`;
  const optional = {
    schedule: s.schedule || undefined,
    start: s.start_at === 0 ? undefined : formatTimestamp(s.start_at),
    end: s.end_at === null ? undefined : formatTimestamp(s.end_at),
  };
  return Object.assign(
    {
      person: s.person_id,
      name: s.name,
      role: `level ${s.level} of ${policy}${schedule}${when}`,
      source: s.source,
      escalationPolicy: s.escalation_policy,
      level: s.level,
    },
    Object.fromEntries(Object.entries(optional).filter(([, v]) => v !== undefined)),
  );
}
