import type { Incident, Oncall, SyncContext } from '@teamstate/core';
import type { OgIncident, OgSchedule, OgTeam, OpsgenieApi } from '../client/opsgenie-api.js';
import { mapIncident } from '../map/map-incident.js';
import type { ResolvedOpsgenieOptions } from '../options.js';

const DAY = 24 * 3_600_000;
/** On-call shifts are read this many days back and ahead. */
export const SHIFT_DAYS = 14;
const INCIDENTS_CURSOR = 'incidents';

/** The teams to sync by id → name (all the key sees, or those `teams` names). */
async function teamsOf(api: OpsgenieApi, options: ResolvedOpsgenieOptions): Promise<Map<string, string>> {
  const all: OgTeam[] = await api.teams();
  const wanted = new Set(options.teams.map((name) => name.toLowerCase()));
  return new Map(all.filter((t) => wanted.size === 0 || wanted.has(t.name.toLowerCase())).map((t) => [t.id, t.name]));
}

/** The team an incident belongs to: its owner team, else its first team responder; undefined when not synced. */
function teamOf(incident: OgIncident, teams: ReadonlyMap<string, string>, filtered: boolean): string | undefined | null {
  const ids = [incident.ownerTeam, ...(incident.responders ?? []).filter((r) => r.type === 'team').map((r) => r.id)].filter(
    (id): id is string => Boolean(id),
  );
  const id = ids.find((candidate) => teams.has(candidate));
  if (id) return teams.get(id);
  return filtered ? null : undefined;
}

/**
 * One sync: the incidents created since the cursor (the first sync: `days` back), each with its associated alerts and
 * its log, stored a batch per 50 with the cursor; the next run starts at the earliest one still open. Then the
 * schedules' on-call shifts from {@link SHIFT_DAYS} days back to as many ahead ({@link syncShifts}), each person linked
 * by their Opsgenie username (an email).
 */
export async function syncOpsgenie(ctx: SyncContext, api: OpsgenieApi, options: ResolvedOpsgenieOptions): Promise<void> {
  const now = ctx.now().getTime();
  const teams = await teamsOf(api, options);
  const filtered = options.teams.length > 0;
  const stored = await ctx.getCursor(INCIDENTS_CURSOR);
  const since = stored ? Number(stored) : now - options.days * DAY;
  const listed = await api.incidents(since);
  let earliestOpen: number | undefined;
  let batch: Incident[] = [];
  for (const [index, incident] of listed.entries()) {
    const team = teamOf(incident, teams, filtered);
    if (team !== null) {
      const [alerts, logs] = await Promise.all([api.associatedAlerts(incident.id), api.incidentLogs(incident.id)]);
      batch.push(mapIncident(incident, alerts, logs, team));
      if (incident.status === 'open') earliestOpen = Math.min(earliestOpen ?? Number.POSITIVE_INFINITY, Date.parse(incident.createdAt));
    }
    const last = index === listed.length - 1;
    if (batch.length >= 50 || last) {
      await ctx.emit({ incidents: batch }, last ? { cursors: { [INCIDENTS_CURSOR]: String(earliestOpen ?? now) } } : undefined);
      batch = [];
    }
  }
  if (listed.length === 0) await ctx.emit({}, { cursors: { [INCIDENTS_CURSOR]: String(now) } });
  ctx.progress({ phase: 'incidents', items: listed.length });
  await syncShifts(ctx, api, teams, filtered);
}

const SHIFTS_CURSOR = 'shifts';

/**
 * The schedules' shifts from {@link SHIFT_DAYS} days back to as many ahead. Opsgenie cuts the periods at the span's
 * edges: a shift cut at its start is stored on the first sync only (later syncs stored it whole, or cut where the
 * first one began, and would otherwise add it again with another start); one cut at its end is stored again as it
 * grows (same start, so it is updated).
 */
async function syncShifts(ctx: SyncContext, api: OpsgenieApi, teams: ReadonlyMap<string, string>, filtered: boolean): Promise<void> {
  const from = new Date(ctx.now().getTime() - SHIFT_DAYS * DAY);
  const first = (await ctx.getCursor(SHIFTS_CURSOR)) === undefined;
  const schedules = (await api.schedules()).filter(
    (s: OgSchedule) => s.enabled !== false && (!filtered || (s.ownerTeam?.id !== undefined && teams.has(s.ownerTeam.id))),
  );
  const shifts: { schedule: OgSchedule; start: string; end: string; username: string }[] = [];
  for (const schedule of schedules) {
    const timeline = await api.timeline(schedule.id, from, 2 * SHIFT_DAYS);
    for (const rotation of timeline.finalTimeline.rotations)
      for (const period of rotation.periods ?? [])
        if (period.recipient.type === 'user' && period.recipient.name && (first || Date.parse(period.startDate) > from.getTime()))
          shifts.push({ schedule, start: period.startDate, end: period.endDate, username: period.recipient.name });
  }
  const users = [...new Set(shifts.map((s) => s.username.toLowerCase()))];
  const people = await ctx.resolvePeople(
    users.map((username) => ({
      provider: 'opsgenie',
      id: username,
      login: username,
      ...(username.includes('@') ? { email: username } : {}),
      name: username,
    })),
  );
  const personOf = new Map(users.map((u, i) => [u, people[i]]));
  const oncalls: Oncall[] = shifts.flatMap(({ schedule, start, end, username }): Oncall[] => {
    const person = personOf.get(username.toLowerCase());
    if (person === undefined) return [];
    const team = schedule.ownerTeam?.name ?? (schedule.ownerTeam?.id ? teams.get(schedule.ownerTeam.id) : undefined);
    return [
      {
        source: 'opsgenie',
        escalationPolicy: schedule.id,
        escalationPolicyName: schedule.name,
        level: 1,
        schedule: schedule.id,
        scheduleName: schedule.name,
        service: team ?? schedule.name,
        person,
        start: new Date(start).toISOString(),
        end: new Date(end).toISOString(),
      },
    ];
  });
  await ctx.emit({ oncalls }, { cursors: { [SHIFTS_CURSOR]: ctx.now().toISOString() } });
}
