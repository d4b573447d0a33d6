import { type BackfillProgress, type MigrationReport, migrateDatabase } from '@teamstate/core';
import type { RegisterCommand } from '../command-context.js';
import { UsageError, wholeNumber } from '../errors.js';
import { colors, configFor, databaseOptions, printJson, requireExistingDatabase, storeSettings } from '../runtime.js';

interface MigrateFlags {
  dryRun?: boolean;
  status?: boolean;
  batchRows?: string;
  maxBatches?: string;
}

/**
 * `teamstate migrate [--dry-run] [--status] [--batch-rows N] [--max-batches N] [--json]`: applies the pending schema
 * migrations, then the batched rewrites of large tables they carry (each batch its own short write transaction), or
 * with `--status` says what is applied, what is pending and how far the rewrites are. The one way a shared database (a
 * libSQL server other machines use) is migrated: a newer teamstate refuses to open one with pending migrations.
 */
export const registerMigrate: RegisterCommand = (program, ctx) => {
  program
    .command('migrate')
    .description('apply pending schema migrations to the database; a shared libSQL server is only ever migrated this way')
    .option('--dry-run', 'only list the migrations that would be applied')
    .option('--status', 'show what is applied, what is pending and how far batched rewrites are; change nothing')
    .option('--batch-rows <n>', 'rows per batch of a batched rewrite (default 5000)')
    .option('--max-batches <n>', 'stop after this many batches; run again (or open the database) to go on')
    .addHelpText(
      'after',
      [
        '',
        'Back a shared database up first (docs/running-for-a-company.md), and run it once, from one machine, when a',
        'newer teamstate says the database has pending migrations. Local files are migrated when they are opened; a',
        'large table a migration rewrites is written a batch at a time behind the reads (see --status).',
        '',
        'Examples:',
        '  $ teamstate migrate --dry-run',
        '  $ teamstate migrate --status --json',
        '  $ TEAMSTATE_DB_AUTH_TOKEN=… teamstate migrate --db libsql://teamstate.example.com',
      ].join('\n'),
    )
    .action(
      ctx.action(async (globals, options: MigrateFlags) => {
        const batchRows = positive('--batch-rows', options.batchRows);
        const maxBatches = positive('--max-batches', options.maxBatches);
        const settings = storeSettings(globals, ctx.io, configFor(globals, ctx.io));
        if (!settings.replica) requireExistingDatabase(settings.database);
        const report = await migrateDatabase({
          database: settings.database,
          authToken: databaseOptions(settings, ctx.io).authToken,
          syncUrl: settings.replica?.syncUrl,
          dryRun: options.dryRun || options.status,
          batchRows,
          maxBatches,
        });
        if (options.status) {
          if (globals.json) printJson(ctx.io, statusOf(report));
          else ctx.io.stdout(statusText(report));
          return 0;
        }
        const { recorded: _, ...shown } = report;
        if (globals.json) printJson(ctx.io, shown);
        else {
          const c = colors(ctx.io);
          if (report.pending.length === 0) ctx.io.stdout(`${c.green('✓')} ${report.database} is up to date: no pending migrations\n`);
          else if (options.dryRun)
            ctx.io.stdout(`${report.database}: ${report.pending.length} pending (not applied, --dry-run):\n${list(report.pending)}`);
          else ctx.io.stdout(`${c.green('✓')} ${report.database}: applied ${report.applied.length}:\n${list(report.applied)}`);
          const running = report.backfills.filter((backfill) => !backfill.finished);
          if (!options.dryRun && running.length > 0)
            ctx.io.stdout(`batched rewrites still running:\n${running.map(progressLine).join('')}`);
        }
        return 0;
      }),
    );
};

/** A whole number of at least 1, or undefined when the flag is not given. */
function positive(flag: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = wholeNumber(flag, value);
  if (n < 1) throw new UsageError(`${flag}: expected a whole number of at least 1, got "${value}"`);
  return n;
}

/** `--status --json`: every migration the database has, the pending ones and the batched rewrites' progress. */
const statusOf = (report: MigrationReport) => ({
  database: report.database,
  applied: report.recorded,
  pending: report.pending,
  backfills: report.backfills,
});

function statusText(report: MigrationReport): string {
  const head = `${report.database}: ${report.recorded.length} applied (last ${report.recorded.at(-1) ?? 'none'}), ${report.pending.length} pending\n`;
  const pending = report.pending.length > 0 ? `pending:\n${list(report.pending)}` : '';
  const backfills = report.backfills.length > 0 ? `batched rewrites:\n${report.backfills.map(progressLine).join('')}` : '';
  return `${head}${pending}${backfills}`;
}

const progressLine = (backfill: BackfillProgress) => {
  const share = backfill.total === 0 ? 100 : Math.min(100, Math.floor((backfill.done / backfill.total) * 100));
  const state = backfill.finished ? 'done' : `${share}%, running`;
  return `  ${backfill.tag}: ${backfill.done.toLocaleString('en-US')} of ${backfill.total.toLocaleString('en-US')} rows (${state})\n`;
};

const list = (tags: readonly string[]) => tags.map((tag) => `  ${tag}\n`).join('');
