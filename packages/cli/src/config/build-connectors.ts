import { demo } from '@teamstate/connectors/demo';
import { jira } from '@teamstate/connectors/jira';
import { type Connector, TeamStateError } from '@teamstate/core';
import { configConnector } from './config-connector.js';
import type { Config } from './config-schema.js';
import type { LoadedConfig } from './load-config.js';

/**
 * The connectors a config file asks for, in sync order: the config's own records first. A connector's
 * client library is loaded only when its section is there, so commands pay only for what is configured.
 */
export async function buildConnectors(loaded: LoadedConfig): Promise<Connector[]> {
  const connectors: Connector[] = [configConnector(loaded.config)];
  const { demo: demoOptions, ...others } = loaded.config.connectors ?? {};
  if (demoOptions) connectors.push(demo(demoOptions));
  for (const name of Object.keys(others)) {
    if (name === 'slack') {
      const settings = loaded.config.connectors!.slack!;
      const { slack } = await import('@teamstate/connectors/slack');
      try {
        connectors.push(
          slack({
            token: settings.token,
            signingSecret: settings.signingSecret,
            apiUrl: settings.apiUrl,
            approvalChannel: settings.approvalChannel,
          }),
        );
      } catch (error) {
        // The connector names the setting (`slack: approvalChannel: …`); say where it is in the file.
        if (TeamStateError.isInstance(error)) throw new TeamStateError(error.code, `${loaded.path}: connectors.${error.message}`);
        throw error;
      }
      continue;
    }
    if (name === 'github') {
      // Loaded only when configured, like Slack's client: octokit is not paid for by other commands.
      const { githubFromConfig } = await import('./github-connector-config.js');
      connectors.push(githubFromConfig(loaded.config));
      continue;
    }
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
