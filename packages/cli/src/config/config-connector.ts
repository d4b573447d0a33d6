import type { Connector } from '@teamstate/core';
import type { Config } from './config-schema.js';
import { OVERRIDE_PROVIDERS } from './config-schema-people.js';

/**
 * Syncs what the config file declares: teams, the repositories they own, people listed as identity
 * overrides, team members, goals and absences. Runs before the other connectors, so their records find their teams;
 * members not known yet (people a connector creates) are linked on the next sync.
 */
export function configConnector(config: Config): Connector {
  return {
    specificationVersion: 'v1',
    id: 'config',
    description: 'teams, repositories and people declared in teamstate.config.yaml',
    async sync(ctx) {
      const teams = config.teams ?? [];
      const people = (config.people ?? []).map((p) => ({
        id: p.id,
        name: p.name,
        ...(p.email ? { email: p.email } : {}),
        ...(p.timeZone ? { timeZone: p.timeZone } : {}),
        ...(p.joinedAt ? { joinedAt: p.joinedAt } : {}),
      }));
      const wanted = [...new Set(teams.flatMap((t) => [...(t.members ?? []), ...(t.leads ?? [])]))];
      const known = new Set([...people.map((p) => p.id), ...(await ctx.existing('person', wanted))]);
      for (const team of teams) {
        for (const [role, ids] of [
          ['member', team.members],
          ['lead', team.leads],
        ] as const) {
          for (const id of ids ?? []) {
            if (!known.has(id))
              ctx.log.warn(
                `teams: ${role} "${id}" of team "${team.id}" is not known yet; it is linked once a connector syncs that person (or add it under people)`,
              );
          }
        }
      }
      const knownOnly = (ids: string[] | undefined) => ids?.filter((id) => known.has(id));
      await ctx.emit({
        teams: teams.map((t) => ({
          id: t.id,
          name: t.name,
          ...(t.members ? { members: knownOnly(t.members) } : {}),
          ...(t.leads ? { leads: knownOnly(t.leads) } : {}),
        })),
        people,
        repositories: teams.flatMap((t) => (t.repositories ?? []).map((id) => ({ id, team: t.id }))),
      });
      // Goals and absences name teams and people, so they follow them.
      if (config.goals?.length || config.absences?.length)
        await ctx.emit({ ...(config.goals ? { goals: config.goals } : {}), ...(config.absences ? { absences: config.absences } : {}) });
      // Identity overrides become accounts linked to their person: connectors then match on them.
      const overrides = (config.people ?? []).flatMap((p) =>
        OVERRIDE_PROVIDERS.flatMap((provider) => (p[provider] ? [{ provider, id: p[provider], login: p[provider], person: p.id }] : [])),
      );
      await ctx.resolvePeople(overrides);
    },
  };
}
