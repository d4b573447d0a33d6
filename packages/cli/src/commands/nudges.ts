import type { NudgeRound } from '@teamstate/core';
import type { RegisterCommand } from '../command-context.js';
import { connectorsForAction } from '../config/open-with-connectors.js';
import { configFor, printJson, refuseNow, withTeamState } from '../runtime.js';

/** Why a due nudge could not go, in words. */
export const SKIP_REASONS: Record<NudgeRound['skipped'][number]['reason'], string> = {
  no_slack_account: 'no linked Slack account, and no email address (or no email connector)',
  no_channel: 'the agreement names no channel for team',
  wellbeing: 'a wellbeing signal goes only to people who may read it',
};

/** One nudges pass in lines: what was (or, in a dry run, would be) sent, what waits, what was skipped and why, what failed. */
export function describeRound(round: NudgeRound): string[] {
  const lines = round.due
    ? [
        `nudges (dry run): ${round.due.length} would be sent`,
        ...round.due.map((n) => `  would send ${n.stage} to ${n.recipient} about ${n.signal} (${n.agreement})`),
      ]
    : [
        `nudges: ${round.sent.length} sent`,
        ...round.sent.map(
          (n) => `  sent ${n.stage} to ${n.recipient} about ${n.signal} (${n.agreement}; approval ${n.approval}, ${n.status})`,
        ),
      ];
  lines.push(`  ${round.deferred} waiting for the recipient's working hours`);
  for (const s of round.skipped)
    lines.push(`  skipped ${s.stage} to ${s.recipient} about ${s.signal} (${s.agreement}): ${SKIP_REASONS[s.reason]}`);
  for (const f of round.failed) lines.push(`  failed ${f.recipient} about ${f.signal} (${f.agreement}): ${f.error}`);
  return lines;
}

/** `teamstate nudges run [--dry-run]`: one nudges pass of the working agreements, as `teamstate serve` runs them. */
export const registerNudges: RegisterCommand = (program, ctx) => {
  const nudges = program.command('nudges').description('nudges of the working agreements');
  nudges
    .command('run')
    .description('refresh the signals and run one nudges pass: what was sent, what waits, what was skipped and why')
    .option('--dry-run', 'show what would be sent; propose, claim and send nothing (takes --now)')
    .addHelpText('after', '\nExamples:\n  $ teamstate nudges run --dry-run\n  $ teamstate nudges run --json')
    .action(
      ctx.action(async (globals, options: { dryRun?: boolean }) => {
        if (!options.dryRun) refuseNow(globals, 'nudges run');
        // Nudges go out through Slack: the config's Slack connector only, as the one whose actions may run.
        const connectors = await connectorsForAction(configFor(globals, ctx.io), 'slack.dm.send');
        return withTeamState(
          globals,
          ctx.io,
          async (ts) => {
            // As `teamstate signals` does, a dry run too refreshes the signals first (at --now, which only a dry run takes).
            await ts.signals.refresh();
            const round = await ts.agreements.nudge(options.dryRun ? { dryRun: true } : {});
            if (globals.json) printJson(ctx.io, round);
            else if (ts.agreements.list().length === 0) ctx.io.stdout('No working agreements: add them under agreements: in the policy.\n');
            else ctx.io.stdout(`${describeRound(round).join('\n')}\n`);
            return 0;
          },
          { connectors },
        );
      }),
    );
};
