import { type PulseFigures, type PulseResults, type PulseWithheld, safeText } from '@teamstate/core';
import type { RegisterCommand } from '../command-context.js';
import { connectorsForAction } from '../config/open-with-connectors.js';
import { configFor, printJson, refuseNow, withTeamState } from '../runtime.js';
import { renderTable } from '../table.js';

const isWithheld = (group: PulseFigures | PulseWithheld): group is PulseWithheld => 'withheld' in group;
const signed = (n: number | null) => (n === null ? '—' : n > 0 ? `+${n}` : String(n));

/** A group's figures as a table, or why they are withheld. */
function renderGroup(name: string, group: PulseFigures | PulseWithheld): string {
  if (isWithheld(group)) return `${name}: withheld: ${group.reason}\n`;
  const rows = group.questions.map((q) => [q.text, q.mean.toFixed(2), q.distribution.join(' / '), signed(q.trend)]);
  const comments = group.comments?.length ? `\nShared comments:\n${group.comments.map((c) => `  - ${c}`).join('\n')}\n` : '';
  return `${name}: ${group.responses} of ${group.invited} answered\n${renderTable(['Question', 'Mean', '1 / 2 / 3 / 4 / 5', 'Trend'], rows)}\n${comments}`;
}

function render(results: PulseResults): string {
  const out = [`Pulse round ${results.round}`, '', renderGroup(results.team ?? 'Everyone', results)];
  for (const team of results.teams ?? []) out.push(renderGroup(team.team, team));
  return `${out.join('\n')}`;
}

/** `teamstate pulse send|results` (docs/people-health.md#pulse-surveys). */
export const registerPulse: RegisterCommand = (program, ctx) => {
  const pulse = program.command('pulse').description('pulse surveys: send a round by Slack DM, read the results');
  pulse
    .command('send')
    .description("start today's pulse round now: a Slack DM to each member who has not been asked yet")
    .addHelpText('after', '\nExamples:\n  $ teamstate pulse send\n  $ teamstate pulse send --json')
    .action(
      ctx.action(async (globals) => {
        refuseNow(globals, 'pulse send');
        const loaded = configFor(globals, ctx.io);
        const connectors = await connectorsForAction(loaded, 'slack.survey.send');
        return withTeamState(
          globals,
          ctx.io,
          async (ts) => {
            const { sendSlackPulse } = await import('@teamstate/connectors/slack');
            const pass = await sendSlackPulse(ts, { force: true, minGroup: loaded?.config.pulse?.minGroup ?? 5 });
            if (globals.json) printJson(ctx.io, pass);
            else
              ctx.io.stdout(
                safeText(
                  `pulse round ${pass.round}: ${pass.sent} invitations proposed${pass.skipped.length ? `; no Slack account for ${pass.skipped.join(', ')}` : ''}\n`,
                ),
              );
            return 0;
          },
          { connectors },
        );
      }),
    );
  pulse
    .command('results')
    .description('means, answers per score and trend per question; groups under pulse.minGroup answers are withheld')
    .option('--team <team>', 'one team alone')
    .option('--round <id>', 'a round id, e.g. 2026-11-23 (default: the latest)')
    .addHelpText('after', '\nExamples:\n  $ teamstate pulse results\n  $ teamstate pulse results --team payments --json')
    .action(
      ctx.action(async (globals, options: { team?: string; round?: string }) =>
        withTeamState(globals, ctx.io, async (ts) => {
          const results = await ts.pulse.results({
            ...(options.team !== undefined ? { team: options.team } : {}),
            ...(options.round !== undefined ? { round: options.round } : {}),
          });
          if (globals.json) printJson(ctx.io, results);
          else ctx.io.stdout(safeText(render(results)));
          return 0;
        }),
      ),
    );
};
