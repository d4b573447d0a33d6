import type { McpServer } from '@modelcontextprotocol/server';
import type { TeamState } from '@teamstate/core';
import type { Register } from '../server-environment.js';
import { requireTeam } from '../tools/references.js';
import { jsonContents, readOrExplain, variable } from './json-resource.js';
import { perTeamTemplate } from './per-team-template.js';

/** `teamstate://teams/{id}`: one team's members (with names), repositories and overview. */
export const registerTeamResource: Register<McpServer> = (server, { teamState }) => {
  server.registerResource(
    'team',
    perTeamTemplate(teamState, 'teams', 'id', (name) => name),
    {
      title: 'Team',
      description: "A team's members (id and name), repositories and its overview (PRs, deployments, incidents, WIP, active sprint).",
      mimeType: 'application/json',
    },
    (uri, variables) =>
      readOrExplain(async () =>
        jsonContents(uri, await teamDocument(teamState, await requireTeam(teamState, decodeURIComponent(variable(variables.id)), 'uri'))),
      ),
  );
};

/** The URI of a team's resource. */
export const teamUri = (id: string) => `teamstate://teams/${encodeURIComponent(id)}`;

/** What `teamstate://teams/{id}` contains: members with names, repositories and the team's overview. */
export async function teamDocument(teamState: TeamState, id: string) {
  const [team, people, overview] = await Promise.all([
    teamState.teams.get(id),
    teamState.people.list({ team: id }),
    teamState.overview({ team: id }),
  ]);
  return {
    id,
    name: team?.name,
    members: people.map((person) => ({ id: person.id, name: person.name })),
    repositories: team?.repositories ?? [],
    overview: overview.teams[0],
  };
}
