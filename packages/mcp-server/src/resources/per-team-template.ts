import { ResourceTemplate } from '@modelcontextprotocol/server';
import type { TeamState } from '@teamstate/core';

/**
 * A `teamstate://<kind>/{<variable>}` template with one resource per team: listed with the team's name,
 * and the variable completed from the team ids.
 */
export function perTeamTemplate(
  teamState: TeamState,
  kind: string,
  variable: string,
  title: (teamName: string) => string,
): ResourceTemplate {
  return new ResourceTemplate(`teamstate://${kind}/{${variable}}`, {
    list: async () => ({
      resources: (await teamState.teams.list()).map((team) => ({
        uri: `teamstate://${kind}/${encodeURIComponent(team.id)}`,
        name: `${kind}-${team.id}`,
        title: title(team.name),
        mimeType: 'application/json',
      })),
    }),
    complete: { [variable]: async (value) => (await teamState.teams.list()).map((team) => team.id).filter((id) => id.startsWith(value)) },
  });
}
