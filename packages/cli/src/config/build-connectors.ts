import { jira } from '@teamstate/connectors/jira';
import { type Connector, TeamStateError } from '@teamstate/core';
import { configConnector } from './config-connector.js';
import type { Config } from './config-schema.js';
import type { LoadedConfig } from './load-config.js';

/** The connectors a config file asks for, in sync order: the config's own records first. */
export function buildConnectors(loaded: LoadedConfig): Connector[] {
  const connectors: Connector[] = [configConnector(loaded.config)];
  for (const name of Object.keys(loaded.config.connectors ?? {})) {
    if (name === 'jira') {
      connectors.push(jiraConnector(loaded.config));
      continue;
    }
    throw new TeamStateError(
      'invalid_config',
      `connectors.${name}: the ${name} connector is not part of this version of teamstate yet (remove the section, or import a teamstate.bundle/v1 file instead)`,
    );
  }
  return connectors;
}

/** `connectors.jira` plus the teams that own Jira projects (`teams[].jiraProjects`). */
function jiraConnector(config: Config): Connector {
  const section = config.connectors!.jira!;
  const teamOfProject: Record<string, string> = {};
  for (const team of config.teams ?? []) {
    for (const project of team.jiraProjects ?? []) {
      const owner = teamOfProject[project];
      if (owner && owner !== team.id)
        throw new TeamStateError(
          'invalid_config',
          `teams: Jira project ${project} is owned by both "${owner}" and "${team.id}" (keep it in one team's jiraProjects)`,
        );
      teamOfProject[project] = team.id;
    }
  }
  const projects = section.projects ?? Object.keys(teamOfProject);
  try {
    return jira({ ...section, projects, teamOfProject });
  } catch (error) {
    // The connector names its options `jira.<option>`; in the config they live under `connectors.jira`.
    if (TeamStateError.isInstance(error))
      throw new TeamStateError(error.code, error.message.replace(/^jira\b/, 'connectors.jira'), { cause: error });
    throw error;
  }
}
