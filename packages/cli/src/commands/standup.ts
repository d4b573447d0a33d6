import { standupDigest } from '@teamstate/metrics';
import type { RegisterCommand } from '../command-context.js';
import { printJson, withTeamState } from '../runtime.js';

/** `teamstate standup --team <id>`: what each member did since the last working day, and the team's blockers. */
export const registerStandup: RegisterCommand = (program, ctx) => {
  program
    .command('standup')
    .description('the standup digest of a team: merged, opened, reviewed, moved, blocked per person, and team blockers')
    .requiredOption('--team <id>', 'the team')
    .option('--since <iso>', 'start of the period (default: the same time on the previous working day)')
    .addHelpText(
      'after',
      '\nExamples:\n  $ teamstate standup --team payments\n  $ teamstate standup --team payments --since 2026-11-20T09:00:00Z --json',
    )
    .action(
      ctx.action(async (globals, options: { team: string; since?: string }) =>
        withTeamState(globals, ctx.io, async (ts) => {
          const digest = await standupDigest(ts, { team: options.team, since: options.since });
          if (globals.json) printJson(ctx.io, digest);
          else ctx.io.stdout(digest.text);
          return 0;
        }),
      ),
    );
};
