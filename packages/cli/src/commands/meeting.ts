import { type MeetingPack, safeText } from '@teamstate/core';
import type { RegisterCommand } from '../command-context.js';
import { reader } from '../reader.js';
import { printJson, withTeamState } from '../runtime.js';

/**
 * `teamstate meeting one-on-one <person>|retro --team <t>`: the meeting packs the MCP prompts `one_on_one` and `retro`
 * are made of, read by the CLI's caller (the credential's person under the reading rule, else the database's owner).
 */
export const registerMeeting: RegisterCommand = (program, ctx) => {
  const meeting = program.command('meeting').description('prepare a meeting: a 1:1 or a sprint retro, each point with its evidence');
  const show = (json: boolean, pack: MeetingPack) => {
    if (json) printJson(ctx.io, pack);
    else ctx.io.stdout(safeText(`${pack.text.trimEnd()}\n`));
  };
  meeting
    .command('one-on-one <person>')
    .description("a 1:1 pack: the person's reports, blockers, work and reviews, wellbeing prompts you may see, open risks")
    .option('--from <when>', 'start: an ISO timestamp or a day (default: 14 days ago)')
    .option('--to <when>', 'end: an ISO timestamp or a day (default: now)')
    .addHelpText(
      'after',
      '\nExamples:\n  $ teamstate meeting one-on-one ana\n  $ teamstate meeting one-on-one ana --from 2026-11-01 --json',
    )
    .action(
      ctx.action((globals, person: string, options: { from?: string; to?: string }) =>
        withTeamState(globals, ctx.io, async (ts) => {
          const window = { ...(options.from ? { from: options.from } : {}), ...(options.to ? { to: options.to } : {}) };
          show(globals.json === true, await (await reader(ts, ctx)).meetings.oneOnOne(person, window));
          return 0;
        }),
      ),
    );
  meeting
    .command('retro')
    .description('a sprint retro pack: carry-over, metrics against the previous sprint, incidents, reported blockers')
    .requiredOption('--team <team>', 'the team')
    .option('--sprint <sprint>', "the sprint id (default: the team's latest closed sprint)")
    .addHelpText(
      'after',
      '\nExamples:\n  $ teamstate meeting retro --team payments\n  $ teamstate meeting retro --team payments --sprint PAY-S12 --json',
    )
    .action(
      ctx.action((globals, options: { team: string; sprint?: string }) =>
        withTeamState(globals, ctx.io, async (ts) => {
          show(
            globals.json === true,
            await (await reader(ts, ctx)).meetings.retro(options.team, options.sprint ? { sprint: options.sprint } : {}),
          );
          return 0;
        }),
      ),
    );
};
