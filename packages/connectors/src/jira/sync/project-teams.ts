import { type Team, TeamStateError } from '@teamstate/core';
import type { ResolvedJiraOptions } from '../options.js';

/** The team a project without a configured owner gets: `jira-<key>`, named after the project. */
export const projectTeamId = (projectKey: string): string => `jira-${projectKey.toLowerCase()}`;

/** Who owns which project, and the teams the connector has to create itself. */
export interface ProjectTeams {
  /** The owning team of a project key: configured, else the project's own team for synced projects. */
  teamOf(projectKey: string): string | undefined;
  /** Teams for synced projects without a configured owner (emitted by the connector). */
  ownTeams: Team[];
}

/**
 * Resolves project ownership. Configured teams (`teamOfProject`, from the config's `teams[].jiraProjects`)
 * must exist in the store; a missing one is a configuration error naming the team and the project.
 */
export async function projectTeams(
  options: Pick<ResolvedJiraOptions, 'projects' | 'teamOfProject'>,
  projectNames: ReadonlyMap<string, string>,
  existingTeams: (ids: string[]) => Promise<Set<string>>,
): Promise<ProjectTeams> {
  const configured = [...new Set(Object.values(options.teamOfProject))];
  const found = await existingTeams(configured);
  for (const [project, team] of Object.entries(options.teamOfProject)) {
    if (!found.has(team))
      throw new TeamStateError(
        'invalid_config',
        `jira.teamOfProject.${project}: team "${team}" does not exist (declare it under teams in the config, or import it before syncing)`,
      );
  }
  const ownTeams = options.projects
    .filter((key) => options.teamOfProject[key] === undefined)
    .map((key) => ({ id: projectTeamId(key), name: projectNames.get(key) ?? key }));
  const synced = new Set(options.projects);
  return {
    teamOf: (key) => options.teamOfProject[key] ?? (synced.has(key) ? projectTeamId(key) : undefined),
    ownTeams,
  };
}
