import { safeText } from '@teamstate/core';
import { sprintHealth } from '@teamstate/metrics';
import type { RegisterCommand } from '../command-context.js';
import { UsageError } from '../errors.js';
import { printJson, withTeamState } from '../runtime.js';
import { wrapText } from '../wrap.js';

/** `teamstate sprint --team <id>`: the health of the team's active sprint. */
export const registerSprint: RegisterCommand = (program, ctx) => {
  program
    .command('sprint')
    .description("a sprint's health: scope and scope change, done vs committed, burn vs ideal, at-risk items, carry-over forecast")
    .option('--team <id>', 'the team (its active sprint)')
    .option('--sprint <id>', 'a specific sprint')
    .addHelpText('after', '\nExamples:\n  $ teamstate sprint --team payments\n  $ teamstate sprint --sprint sprint-payments-7 --json')
    .action(
      ctx.action(async (globals, options: { team?: string; sprint?: string }) => {
        if (!options.team && !options.sprint) throw new UsageError('--team or --sprint: give a team (its active sprint) or a sprint id');
        return withTeamState(globals, ctx.io, async (ts) => {
          const health = await sprintHealth(ts, options);
          if (globals.json) printJson(ctx.io, health);
          else ctx.io.stdout(wrapText(safeText(health.text)));
          return 0;
        });
      }),
    );
};
