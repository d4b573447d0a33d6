import type { RegisterCommand } from '../command-context.js';
import { printJson, readJsonFile, withTeamState } from '../runtime.js';

/** `teamstate import <file>`: validates and imports a teamstate.bundle/v1 document in one transaction. */
export const registerImport: RegisterCommand = (program, ctx) => {
  program
    .command('import')
    .description('import a teamstate.bundle/v1 JSON file (all or nothing; re-importing changes nothing)')
    .argument('<file>', 'bundle file, or - for stdin')
    .addHelpText('after', '\nExamples:\n  $ teamstate import team.bundle.json\n  $ teamstate export | teamstate --db other.db import -')
    .action(
      ctx.action(async (globals, file: string) => {
        const bundle = readJsonFile(file);
        const result = await withTeamState(globals, ctx.io, (ts) => ts.import(bundle));
        if (globals.json) printJson(ctx.io, result);
        else {
          const parts = Object.entries(result.records)
            .filter(([, n]) => n > 0)
            .map(([kind, n]) => `${n} ${kind}`);
          ctx.io.stdout(`Imported ${parts.join(', ') || 'nothing'} (${result.changes} rows changed).\n`);
        }
        return 0;
      }),
    );
};
