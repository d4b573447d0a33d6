import type { Person } from '@teamstate/core';
import { type AiHabit, aiHabit } from './ai-help.js';
import { HOUR, type TeamPlan } from './demo-context.js';
import type { DemoShape } from './demo-shape.js';
import { defaultTeams, domains, firstNames, lastNames } from './names.js';
import type { Random } from './random.js';
import { OFFICE_HOURS, type WorkingDay } from './working-time.js';

/** How much each team (by index, in turn) uses AI assistants, relative to the organisation. */
const TEAM_AI_ADOPTION = [1, 0.9, 0.2] as const;
/** Each team's member (by index) who works late, and the hours they keep. */
const LATE_WORKER = 5;
const LATE_HOURS: WorkingDay = { start: 16 * HOUR, end: 24 * HOUR };

/**
 * The teams `firstTeam` to `firstTeam + shape.teams - 1` of the organisation, without members yet: the named default
 * teams with their repositories when the shape asks for none, else a team named after a business domain with
 * `shape.reposPerTeam` repositories.
 */
export function planTeams(shape: DemoShape, firstTeam: number): TeamPlan[] {
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
  return teams;
}

/** The organisation's `personIndex`th person, of `team`, with GitHub, Jira and Slack accounts (one draw of `rng`). */
function demoPerson(rng: Random, personIndex: number, team: TeamPlan): Person {
  const first = firstNames[personIndex % firstNames.length]!;
  const last = lastNames[(personIndex * 7 + Math.floor(personIndex / firstNames.length)) % lastNames.length]!;
  const unique = personIndex < firstNames.length ? '' : `-${personIndex}`;
  const login = `${first}${last[0]}${unique.replace('-', '')}`.toLowerCase();
  return {
    id: `${first}-${last}${unique}`.toLowerCase(),
    name: `${first} ${last}`,
    email: `${first}.${last}${unique.replace('-', '')}@acme.example`.toLowerCase(),
    teams: [team.id],
    accounts: [
      { provider: 'github', id: String(1_000_000 + personIndex * 37), login },
      { provider: 'jira', id: `5f${rng.hex(22)}`, login: `${first} ${last}` },
      { provider: 'slack', id: `U0${(4_000_000 + personIndex * 131).toString(36).toUpperCase()}`, login },
    ],
  };
}

/**
 * Fills `teams` with their people and says when each works. People work in office hours, on weekdays: what they do
 * (open, review and merge pull requests, move their issues) happens then, and a wait ("four hours later") counts
 * working time only. One person per team works late instead (the team's sixth member: person.after_hours has someone
 * to find, and flags nobody else). `timeZones` (by member index, in every team) puts a member's hours in their zone.
 */
export function hirePeople(
  rng: Random,
  shape: DemoShape,
  firstTeam: number,
  teams: readonly TeamPlan[],
  timeZones: readonly string[] | undefined,
): { people: Person[]; workingHours: Map<string, WorkingDay> } {
  const people: Person[] = [];
  const workingHours = new Map<string, WorkingDay>();
  let personIndex = firstTeam * (shape.peoplePerTeam[0] ?? 0);
  teams.forEach((team, t) => {
    const size = shape.peoplePerTeam[firstTeam + t] ?? shape.peoplePerTeam[0]!;
    for (let i = 0; i < size; i++, personIndex++) {
      const person = demoPerson(rng, personIndex, team);
      people.push(person);
      team.members.push(person.id);
      const zone = timeZones?.[i];
      if (zone) person.timeZone = zone;
      workingHours.set(person.id, { ...(i === LATE_WORKER ? LATE_HOURS : OFFICE_HOURS), ...(zone ? { zone } : {}) });
    }
  });
  return { people, workingHours };
}

/**
 * Each person's AI tool and how much they use it: teams differ (in the default demo payments uses AI most, platform
 * a little less, growth has barely started).
 */
export function aiHabits(rng: Random, teams: readonly TeamPlan[], firstTeam: number): Map<string, AiHabit> {
  return new Map<string, AiHabit>(
    teams.flatMap((team, t) => team.members.map((member) => [member, aiHabit(rng, TEAM_AI_ADOPTION[(firstTeam + t) % 3]!)])),
  );
}

/** The members of `teams` who keep late hours. */
export function lateWorkersOf(teams: readonly TeamPlan[], workingHours: ReadonlyMap<string, WorkingDay>): Set<string> {
  return new Set(teams.flatMap((team) => team.members.filter((id) => workingHours.get(id)?.start === LATE_HOURS.start)));
}
