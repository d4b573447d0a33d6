import { github } from '@teamstate/connectors/github';
import type { Connector } from '@teamstate/core';
import type { Config } from './config-schema.js';

/**
 * The GitHub connector for `connectors.github`, with the ownership the config declares: each team's
 * `repositories` become the team of their PRs, deployments and incidents.
 */
export function githubFromConfig(config: Config): Connector {
  const section = config.connectors!.github!;
  const { app, ...rest } = section;
  const teams = config.teams ?? [];
  return github({
    ...rest,
    ...(app
      ? {
          token: undefined,
          app: {
            appId: app.appId,
            // A PEM in an environment variable often arrives with its line breaks escaped.
            privateKey: app.privateKey.replace(/\\n/g, '\n'),
            installationId: Number(app.installationId),
          },
        }
      : {}),
    teamOfRepository: Object.fromEntries(teams.flatMap((team) => (team.repositories ?? []).map((repository) => [repository, team.id]))),
    configuredTeams: teams.map((team) => ({ id: team.id, name: team.name, ...(team.members ? { members: team.members } : {}) })),
  });
}
