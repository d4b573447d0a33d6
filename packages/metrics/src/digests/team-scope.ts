import { type TeamState, TeamStateError } from '@teamstate/core';

/** The team, or a `not_found` error naming the argument and the teams that exist. */
export async function requireTeam(ts: TeamState, id: string) {
  const team = await ts.teams.get(id);
  if (!team) {
    const known = (await ts.teams.list()).map((t) => t.id);
    throw new TeamStateError('not_found', `team: "${id}" is not a team of this workspace (teams: ${known.join(', ') || 'none'})`);
  }
  return team;
}

/** `Fri 20 Nov 10:00 UTC`. */
export function shortDate(iso: string | number): string {
  const d = new Date(iso);
  return `${d.toLocaleDateString('en-GB', { weekday: 'short', day: 'numeric', month: 'short', timeZone: 'UTC' })} ${d.toISOString().slice(11, 16)} UTC`;
}
