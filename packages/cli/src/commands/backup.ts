import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { backupStore, TeamStateError } from '@teamstate/core';
import type { RegisterCommand } from '../command-context.js';
import { printJson, withTeamState } from '../runtime.js';

/** `teamstate backup <file> [--force] [--json]`: a consistent copy of the local database, taken while it is in use. */
export const registerBackup: RegisterCommand = (program, ctx) => {
  program
    .command('backup')
    .description('write a consistent copy of the local database to <file> while other processes keep using it (VACUUM INTO)')
    .argument('<file>', 'the copy to write (refused if it exists, unless --force)')
    .option('--force', 'replace <file> if it exists')
    .addHelpText(
      'after',
      [
        '',
        'Restore: stop the processes using the database, move the database file and its -wal and -shm files away,',
        'and put the copy in its place (or point --db at the copy). See docs/running-for-a-company.md.',
        '',
        'Examples:',
        '  $ teamstate backup backups/teamstate-$(date +%F).db',
        '  $ teamstate backup nightly.db --force',
      ].join('\n'),
    )
    .action(
      ctx.action(async (globals, file: string, options: { force?: boolean }) => {
        const target = resolve(ctx.io.cwd, file);
        const { database, result } = await withTeamState(globals, ctx.io, async (ts) => {
          // `backup backups/x.db` makes the folder, as `mkdir -p` would, once the database has opened; a server's or
          // replica's database is backed up on the server, so nothing is made for it.
          if (ts.store.kind === 'file' || ts.store.kind === 'memory') makeFolder(dirname(target));
          return { database: ts.store.url, result: await backupStore(ts.store, target, { overwrite: options.force }) };
        });
        if (globals.json) printJson(ctx.io, { database, ...result });
        else ctx.io.stdout(`Backed up ${database} to ${result.file} (${result.bytes} bytes)\n`);
        return 0;
      }),
    );
};

/** Creates `folder` and its parents (owner only: the copy holds people's data and the ledger), or says why it cannot. */
function makeFolder(folder: string): void {
  try {
    mkdirSync(folder, { recursive: true, mode: 0o700 });
  } catch (error) {
    throw new TeamStateError('invalid_argument', `backup: could not create the folder ${folder}: ${(error as Error).message}`, {
      cause: error,
    });
  }
}
