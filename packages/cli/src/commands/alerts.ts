import type { RegisterCommand } from '../command-context.js';
import { printJson, withTeamState } from '../runtime.js';

/** `teamstate alerts off|on --person <id>` (docs/people-health.md#personal-alerts). */
export const registerAlerts: RegisterCommand = (program, ctx) => {
  const alerts = program.command('alerts').description("personal alerts: turn a person's Slack DMs about their waiting work off or on");
  for (const state of ['off', 'on'] as const)
    alerts
      .command(state)
      .description(state === 'off' ? "stop a person's personal alerts" : "resume a person's personal alerts")
      .requiredOption('--person <id>', 'the person')
      .addHelpText('after', `\nExamples:\n  $ teamstate alerts ${state} --person ana-garcia`)
      .action(
        ctx.action(async (globals, options: { person: string }) =>
          withTeamState(globals, ctx.io, async (ts) => {
            const person = (await ts.people.get(options.person))?.id ?? options.person;
            const outcome = state === 'off' ? await ts.alerts.off(person) : await ts.alerts.on(person);
            if (globals.json) printJson(ctx.io, outcome);
            else ctx.io.stdout(`alerts ${outcome.alerts} for ${outcome.person}\n`);
            return 0;
          }),
        ),
      );
};
