import type { SyncContext, Team } from '@teamstate/core';
import type { GitHubClient } from '../client/github-client.js';
import { type ActorNode, type Connection, nodesOf } from '../client/graphql-types.js';
import { MEMBERS_QUERY, TEAM_MEMBERS_QUERY, TEAMS_QUERY } from '../client/queries.js';
import { PeopleLookup } from '../map/github-accounts.js';

/** The cursor key of the last member/team refresh of an organisation. */
export function peopleCursorKey(org: string): string {
  return `people:${org.toLowerCase()}`;
}

interface TeamNode {
  slug: string;
  name: string;
  members: Connection<ActorNode>;
}

/**
 * Links the organisation's members to people (through core's identity resolution: never by writing
 * accounts directly) and, with `syncTeams`, stores its teams with their direct members. A team the
 * configuration declares keeps its name, and keeps its members when it lists them. Skipped when the
 * last refresh is more recent than `refreshMs`.
 */
export async function syncPeople(
  ctx: SyncContext,
  client: GitHubClient,
  options: {
    org: string;
    syncTeams: boolean;
    refreshMs: number;
    configuredTeams: readonly { id: string; name: string; members?: readonly string[] }[];
  },
): Promise<{ members: number; teams: number } | undefined> {
  const key = peopleCursorKey(options.org);
  const last = await ctx.getCursor(key);
  const now = ctx.now();
  if (last && now.getTime() - Date.parse(last) < options.refreshMs) return undefined;
  ctx.progress({ phase: `members of ${options.org}` });
  const people = new PeopleLookup(ctx.resolvePeople);
  let members = 0;
  let after: string | null = null;
  do {
    const data: { organization: { membersWithRole: Connection<ActorNode> } | null } = await client.graphql(MEMBERS_QUERY, {
      org: options.org,
      after,
    });
    const page = data.organization?.membersWithRole;
    for (const member of nodesOf(page)) people.add(member);
    members += nodesOf(page).length;
    await people.resolve();
    after = page?.pageInfo.hasNextPage ? page.pageInfo.endCursor : null;
  } while (after);

  const teams: Team[] = [];
  if (options.syncTeams) {
    ctx.progress({ phase: `teams of ${options.org}` });
    const declared = new Map(options.configuredTeams.map((t) => [t.id, t]));
    after = null;
    do {
      const data: { organization: { teams: Connection<TeamNode> } | null } = await client.graphql(TEAMS_QUERY, { org: options.org, after });
      const page = data.organization?.teams;
      for (const team of nodesOf(page)) {
        const config = declared.get(team.slug);
        if (config?.members) continue;
        const users = await teamMembers(client, options.org, team);
        for (const user of users) people.add(user);
        await people.resolve();
        const ids = [...new Set(users.flatMap((user) => people.personOf(user) ?? []))];
        teams.push({ id: team.slug, name: config?.name ?? team.name, members: ids });
      }
      after = page?.pageInfo.hasNextPage ? page.pageInfo.endCursor : null;
    } while (after);
  }
  await ctx.emit({ teams }, { cursors: { [key]: now.toISOString() } });
  return { members, teams: teams.length };
}

async function teamMembers(client: GitHubClient, org: string, team: TeamNode): Promise<ActorNode[]> {
  const users = nodesOf(team.members);
  let info = team.members.pageInfo;
  while (info.hasNextPage && info.endCursor) {
    const data: { organization: { team: { members: Connection<ActorNode> } | null } | null } = await client.graphql(TEAM_MEMBERS_QUERY, {
      org,
      slug: team.slug,
      after: info.endCursor,
    });
    const page = data.organization?.team?.members;
    if (!page) break;
    users.push(...nodesOf(page));
    info = page.pageInfo;
  }
  return users;
}
