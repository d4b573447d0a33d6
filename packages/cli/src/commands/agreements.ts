import type { AgreementReport } from '@teamstate/core';
import type { RegisterCommand } from '../command-context.js';
import { UsageError } from '../errors.js';
import { clockFrom, printJson, withTeamState } from '../runtime.js';
import { renderTable } from '../table.js';

const DAY = 86_400_000;
const list = (value: string | readonly string[] | undefined) => [value ?? []].flat().join(', ');

/** The report as rows: breaches, nudges, acted on within 24 h, time to resolve before → after and the verdict. */
function renderReport(agreements: AgreementReport[]): string {
  const hours = (h: number | null) => (h === null ? '—' : `${h.toFixed(1)} h`);
  const rows = agreements.map((a) => [
    a.id,
    a.signal,
    a.breaches,
    `${a.nudges.total} (${a.nudges.escalate} escalated)`,
    a.actedOn.share === null ? '—' : `${a.actedOn.within24h}/${a.actedOn.of}`,
    `${hours(a.timeToResolve.before.medianHours)} → ${hours(a.timeToResolve.after.medianHours)}`,
    a.timeToResolve.verdict,
  ]);
  return `${renderTable(['AGREEMENT', 'SIGNAL', 'BREACHES', 'NUDGES', 'ACTED ON IN 24H', 'TIME TO RESOLVE', 'VERDICT'], rows, {
    drop: [1, 3],
    keep: [6],
  })}\n`;
}

/** `teamstate agreements list|report`: the policy's working agreements and whether they work (docs/hub.md). */
export const registerAgreements: RegisterCommand = (program, ctx) => {
  const agreements = program.command('agreements').description("the policy's working agreements and whether they work");
  agreements
    .command('list')
    .description('list the working agreements of the policy (agreements:)')
    .addHelpText('after', '\nExample:\n  $ teamstate agreements list --json')
    .action(
      ctx.action((globals) =>
        withTeamState(globals, ctx.io, async (ts) => {
          const all = ts.agreements.list();
          if (globals.json) printJson(ctx.io, { agreements: all });
          else if (all.length === 0) ctx.io.stdout('No working agreements: add them under agreements: in the policy.\n');
          else {
            const rows = all.map((a) => [
              a.id,
              a.signal,
              a.teams?.join(', ') ?? 'all',
              `${a.after} → ${list(a.notify)}`,
              a.escalate ? `${a.escalate.after} → ${list(a.escalate.notify)}` : '',
            ]);
            ctx.io.stdout(`${renderTable(['AGREEMENT', 'SIGNAL', 'TEAMS', 'NUDGE', 'ESCALATE'], rows)}\n`);
          }
          return 0;
        }),
      ),
    );
  agreements
    .command('report')
    .description('per agreement: breaches, nudges, share acted on within 24 h, time to resolve before and after it started')
    .option('--team <team>', "only this team's signals and nudges")
    .option('--from <when>', 'start of the window, ISO timestamp (default: 30 days before now)')
    .option('--to <when>', 'end of the window, ISO timestamp (default: now)')
    .addHelpText(
      'after',
      '\nExamples:\n  $ teamstate agreements report\n  $ teamstate agreements report --team payments --from 2026-10-01T00:00:00Z --json',
    )
    .action(
      ctx.action((globals, options: { team?: string; from?: string; to?: string }) =>
        withTeamState(globals, ctx.io, async (ts) => {
          const now = clockFrom(globals.now)().getTime();
          const to = options.to ?? new Date(now).toISOString();
          if (Number.isNaN(Date.parse(to)))
            throw new UsageError(`--to: invalid ISO timestamp "${to}" (expected e.g. 2026-11-01T00:00:00Z)`);
          const from = options.from ?? new Date(Date.parse(to) - 30 * DAY).toISOString();
          const report = await ts.agreements.report({ from, to, ...(options.team ? { team: options.team } : {}) });
          if (globals.json) printJson(ctx.io, report);
          else if (report.agreements.length === 0) ctx.io.stdout('No working agreements: add them under agreements: in the policy.\n');
          else
            ctx.io.stdout(
              `From ${report.from} to ${report.to}${report.team ? `, team ${report.team}` : ''}:\n${renderReport(report.agreements)}`,
            );
          return 0;
        }),
      ),
    );
};
