import { type TeamState, type TeamStateError, unknownId } from '@teamstate/core';

// Filters that name something unknown would silently return nothing; a model is better served by an
// error that names the argument and the closest known id. The check is one indexed lookup; the list
// of known ids is read only to explain a miss.

const unknown = (argument: string, what: string, value: string, known: readonly string[]): TeamStateError =>
  unknownId(argument, value, known, { what, list: 'unsuggested' });

/** The id when a row of `table` has it; otherwise an `invalid_argument` error naming `argument`, with the closest known id. */
async function requireRow(
  teamState: TeamState,
  table: 'teams' | 'repositories',
  what: string,
  id: string,
  argument: string,
  known: () => Promise<{ id: string }[]>,
): Promise<string> {
  const found = await teamState.store.execute(`SELECT 1 FROM ${table} WHERE workspace = ? AND id = ?`, [teamState.workspace, id]);
  if (found.rows.length > 0) return id;
  throw unknown(
    argument,
    what,
    id,
    (await known()).map((row) => row.id),
  );
}

/** Checks a team id exists. */
export function requireTeam(teamState: TeamState, team: string, argument = 'team'): Promise<string> {
  return requireRow(teamState, 'teams', 'team', team, argument, () => teamState.teams.list());
}

/** Checks a repository (`owner/name`) exists. */
export function requireRepository(teamState: TeamState, repository: string, argument = 'repository'): Promise<string> {
  return requireRow(teamState, 'repositories', 'repository', repository, argument, () => teamState.repositories.list());
}

/** The person id for a person id, account login or email. */
export async function resolvePerson(teamState: TeamState, person: string, argument = 'person'): Promise<string> {
  const found = await teamState.people.get(person);
  if (found) return found.id;
  throw unknown(
    argument,
    'person (id, login or email)',
    person,
    (await teamState.people.list()).map((p) => p.id),
  );
}
