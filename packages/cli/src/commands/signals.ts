import type { SignalSeverity } from '@teamstate/core';
import type { RegisterCommand } from '../command-context.js';
import { wholeNumber } from '../errors.js';
import { renderSignals } from '../render-signals.js';
import { colors, printJson, withTeamState } from '../runtime.js';

/** `teamstate signals`: refreshes the signals at now (or --now) and lists them. */
export const registerSignals: RegisterCommand = (program, ctx) => {
  program
    .command('signals')
    .description('what needs attention: stale PRs, blockers, overloaded people, failed deploys (refreshed at --now)')
    .option('--team <id>', 'only this team')
    .option('--kind <kind>', 'only this kind, e.g. pr.awaiting_review')
    .option('--severity <level>', 'only info, warning or critical')
    .option('--status <status>', 'open (default), resolved or all', 'open')
    .option('--limit <n>', 'at most n signals (1-500)', '100')
    .addHelpText('after', '\nExamples:\n  $ teamstate signals --team payments\n  $ teamstate signals --kind item.blocked --json')
    .action(
      ctx.action(async (globals, options: { team?: string; kind?: string; severity?: string; status: string; limit: string }) => {
        const limit = wholeNumber('--limit', options.limit);
        return withTeamState(globals, ctx.io, async (ts) => {
          const refresh = await ts.signals.refresh();
          const signals = await ts.signals.list({
            team: options.team,
            kind: options.kind,
            severity: options.severity as SignalSeverity | undefined,
            status: options.status as 'open',
            limit,
          });
          if (globals.json) printJson(ctx.io, { refresh, signals });
          else ctx.io.stdout(renderSignals(signals, colors(ctx.io), { team: options.team }));
          return 0;
        });
      }),
    );
};
