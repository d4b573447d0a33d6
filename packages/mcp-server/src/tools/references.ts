import { closest, type TeamState, TeamStateError } from '@teamstate/core';

// Filters that name something unknown would silently return nothing; a model is better served by an
// error that names the argument and the closest known id.

function unknown(argument: string, what: string, value: string, known: readonly string[]): TeamStateError {
  const suggestion = closest(value, known);
  const hint = suggestion ? ` (did you mean "${suggestion}"?)` : known.length <= 20 ? `; known: ${known.join(', ') || '(none)'}` : '';
  return new TeamStateError('not_found', `${argument}: unknown ${what} "${value}"${hint}`);
}

/** Checks a team id exists. */
export async function requireTeam(teamState: TeamState, team: string, argument = 'team'): Promise<string> {
  const teams = await teamState.teams.list();
  if (teams.some((t) => t.id === team)) return team;
  throw unknown(
    argument,
    'team',
    team,
    teams.map((t) => t.id),
  );
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

/** Checks a repository (`owner/name`) exists. */
export async function requireRepository(teamState: TeamState, repository: string, argument = 'repository'): Promise<string> {
  const repositories = await teamState.repositories.list();
  if (repositories.some((r) => r.id === repository)) return repository;
  throw unknown(
    argument,
    'repository',
    repository,
    repositories.map((r) => r.id),
  );
}
