import type { RetentionCounts } from '@teamstate/core';
import type { RegisterCommand } from '../command-context.js';
import { osUser } from '../os-user.js';
import { printJson, refuseNow, withTeamState } from '../runtime.js';
import { selfName } from '../self-command.js';

/**
 * `teamstate retention run [--dry-run] [--json]` and `teamstate retention restore <manifest.json>`
 * (docs/daily-reports.md#retention): expired reports, webhook deliveries and resolved signals archived (gzip JSON Lines
 * and a manifest, under the config's `retention.archive`) and deleted; an archive brought back. Both are audited with
 * the OS user and refuse `--now`: what they record happens at the real time.
 */
export const registerRetention: RegisterCommand = (program, ctx) => {
  const retention = program
    .command('retention')
    .description('archive and delete expired reports, webhook deliveries and resolved signals; restore an archive');

  retention
    .command('run')
    .description(
      'archive every expired row (gzip JSON Lines + manifest.json, flushed to disk) into a new folder under retention.archive, then delete them in one transaction (audited)',
    )
    .option('--dry-run', 'count what would be archived and deleted; write nothing')
    .addHelpText('after', '\nExamples:\n  $ teamstate retention run --dry-run\n  $ teamstate retention run --json')
    .action(
      ctx.action(async (globals, options: { dryRun?: boolean }) => {
        refuseNow(globals, 'retention run');
        const result = await withTeamState(globals, ctx.io, (ts) => ts.retention.run({ dryRun: options.dryRun === true, by: osUser() }));
        if (globals.json) printJson(ctx.io, result);
        else if (result.dryRun) ctx.io.stdout(`Would archive and delete ${describe(result.counts)} (a dry run: nothing was written).\n`);
        else if (result.manifest === undefined) {
          const { cutoffs } = result;
          ctx.io.stdout(
            `Nothing has expired (reports of days before ${cutoffs.reports}, webhook deliveries received before ${cutoffs.webhookDeliveries}, signals resolved before ${cutoffs.resolvedSignals}); nothing was written.\n`,
          );
        } else
          ctx.io.stdout(
            `Archived and deleted ${describe(result.counts)}.\nArchive: ${result.folder}\nBring them back with: ${selfName()} retention restore ${result.manifest}\n`,
          );
        return 0;
      }),
    );

  retention
    .command('restore')
    .description('bring back the rows of one retention run from its manifest.json (checked first; rows already there are left alone)')
    .argument('<manifest.json>', "the manifest.json in a run's archive folder")
    .addHelpText(
      'after',
      '\nExamples:\n  $ teamstate retention restore .teamstate/archive/default/2026-11-23T03-00-00-000Z-1a2b3c/manifest.json',
    )
    .action(
      ctx.action(async (globals, manifest: string) => {
        refuseNow(globals, 'retention restore');
        const result = await withTeamState(globals, ctx.io, (ts) => ts.retention.restore(manifest, { by: osUser() }));
        if (globals.json) printJson(ctx.io, result);
        else {
          const skipped = Object.values(result.skipped).reduce((sum, n) => sum + n, 0);
          ctx.io.stdout(
            `Restored ${describe(result.restored)} from ${result.manifest}.\n${
              skipped > 0 ? `Left out ${describe(result.skipped)}: already there, or their person is no longer in the workspace.\n` : ''
            }`,
          );
        }
        return 0;
      }),
    );
};

function describe(counts: RetentionCounts): string {
  const plural = (n: number, noun: string) => `${n} ${noun}${n === 1 ? '' : 's'}`;
  return `${plural(counts.reports, 'report')} (${plural(counts.reportRevisions, 'earlier revision')}), ${plural(counts.webhookDeliveries, 'webhook delivery').replace(/ys$/, 'ies')} and ${plural(counts.resolvedSignals, 'resolved signal')}`;
}
