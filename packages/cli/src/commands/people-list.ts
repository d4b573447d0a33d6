import { unknownId } from '@teamstate/core';
import type { Command } from 'commander';
import type { CommandContext } from '../command-context.js';
import { printJson, withTeamState } from '../runtime.js';
import { renderTable } from '../table.js';

/** `teamstate people list [--team <t>]`: everyone (or one team), with their teams and when they joined. */
export function registerPeopleList(people: Command, ctx: CommandContext): void {
  people
    .command('list')
    .description('list people: id, name, teams, when they joined')
    .option('--team <team>', "only this team's members")
    .addHelpText('after', '\nExamples:\n  $ teamstate people list\n  $ teamstate people list --team payments --json')
    .action(
      ctx.action((globals, options: { team?: string }) =>
        withTeamState(globals, ctx.io, async (ts) => {
          if (options.team !== undefined) {
            const teams = (await ts.teams.list()).map((team) => team.id);
            if (!teams.includes(options.team)) throw unknownId('--team', options.team, teams, { what: 'team' });
          }
          const list = (await ts.people.list(options.team === undefined ? {} : { team: options.team })).map((person) => ({
            id: person.id,
            name: person.name,
            teams: person.teams ?? [],
            ...(person.joinedAt === undefined ? {} : { joinedAt: person.joinedAt }),
          }));
          if (globals.json) printJson(ctx.io, { people: list });
          else if (list.length === 0) ctx.io.stdout('No people.\n');
          else {
            const rows = list.map((p) => [p.id, p.name, p.teams.join(', '), p.joinedAt?.slice(0, 10) ?? '']);
            ctx.io.stdout(`${renderTable(['ID', 'NAME', 'TEAMS', 'JOINED'], rows, { drop: [3, 2] })}\n`);
          }
          return 0;
        }),
      ),
    );
}
