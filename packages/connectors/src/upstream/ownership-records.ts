import type { Repository, SyncBatch, Team } from '@teamstate/core';

type Existing = (kind: 'repository' | 'team', ids: readonly string[]) => Promise<Set<string>>;

/**
 * The repository records to write before a repository's pull requests, deployments and incidents: a
 * repository with a configured team is written with it (creating the team, named as configured, when
 * the store lacks it, as on a first `sync --only github`); one without is written only when the store
 * does not have it yet, so a team set elsewhere is never cleared.
 */
export async function ownershipRecords(
  existing: Existing,
  repositories: readonly string[],
  options: { teamOf(repository: string): string | undefined; configuredTeams: readonly { id: string; name: string }[] },
): Promise<Pick<SyncBatch, 'teams' | 'repositories'>> {
  const owners = [...new Set(repositories.flatMap((r) => options.teamOf(r) ?? []))];
  const knownTeams = await existing('team', owners);
  const knownRepositories = await existing(
    'repository',
    repositories.filter((r) => !options.teamOf(r)),
  );
  const teams: Team[] = owners
    .filter((id) => !knownTeams.has(id))
    .map((id) => ({ id, name: options.configuredTeams.find((t) => t.id === id)?.name ?? id }));
  const records: Repository[] = repositories.flatMap((id) => {
    const team = options.teamOf(id);
    if (team) return [{ id, team }];
    return knownRepositories.has(id) ? [] : [{ id }];
  });
  return { ...(teams.length ? { teams } : {}), ...(records.length ? { repositories: records } : {}) };
}
