import { migrateDatabase } from '@teamstate/core';
import type { RegisterCommand } from '../command-context.js';
import { colors, configFor, databaseOptions, printJson, requireExistingDatabase, storeSettings } from '../runtime.js';

/**
 * `teamstate migrate [--dry-run] [--json]`: applies the pending schema migrations. The one way a shared database (a
 * libSQL server other machines use) is migrated: a newer teamstate refuses to open one with pending migrations.
 */
export const registerMigrate: RegisterCommand = (program, ctx) => {
  program
    .command('migrate')
    .description('apply pending schema migrations to the database; a shared libSQL server is only ever migrated this way')
    .option('--dry-run', 'only list the migrations that would be applied')
    .addHelpText(
      'after',
      [
        '',
        'Back a shared database up first (docs/running-for-a-company.md), and run it once, from one machine, when a',
        'newer teamstate says the database has pending migrations. Local files are migrated when they are opened.',
        '',
        'Examples:',
        '  $ teamstate migrate --dry-run',
        '  $ TEAMSTATE_DB_AUTH_TOKEN=… teamstate migrate --db libsql://teamstate.example.com',
      ].join('\n'),
    )
    .action(
      ctx.action(async (globals, options: { dryRun?: boolean }) => {
        const settings = storeSettings(globals, ctx.io, configFor(globals, ctx.io));
        if (!settings.replica) requireExistingDatabase(settings.database);
        const report = await migrateDatabase({
          database: settings.database,
          authToken: databaseOptions(settings, ctx.io).authToken,
          syncUrl: settings.replica?.syncUrl,
          dryRun: options.dryRun,
        });
        if (globals.json) printJson(ctx.io, report);
        else {
          const c = colors(ctx.io);
          if (report.pending.length === 0) ctx.io.stdout(`${c.green('✓')} ${report.database} is up to date: no pending migrations\n`);
          else if (options.dryRun)
            ctx.io.stdout(`${report.database}: ${report.pending.length} pending (not applied, --dry-run):\n${list(report.pending)}`);
          else ctx.io.stdout(`${c.green('✓')} ${report.database}: applied ${report.applied.length}:\n${list(report.applied)}`);
        }
        return 0;
      }),
    );
};

const list = (tags: readonly string[]) => tags.map((tag) => `  ${tag}\n`).join('');
