import { writeFileSync } from 'node:fs';
import type { RegisterCommand } from '../command-context.js';
import { terminalJson, withTeamState } from '../runtime.js';

/** `teamstate export [--out <file>]`: the workspace as a teamstate.bundle/v1 document. */
export const registerExport: RegisterCommand = (program, ctx) => {
  program
    .command('export')
    .description('write the workspace as a teamstate.bundle/v1 document (stdout by default)')
    .option('--out <file>', 'write to a file instead of stdout')
    .addHelpText('after', '\nExamples:\n  $ teamstate export > team.bundle.json\n  $ teamstate export --out team.bundle.json')
    .action(
      ctx.action(async (globals, options: { out?: string }) => {
        const bundle = await withTeamState(globals, ctx.io, (ts) => ts.export());
        const text = `${terminalJson(bundle)}\n`;
        if (options.out) {
          writeFileSync(options.out, text);
          ctx.io.stderr(`Wrote ${bundle.workItems.length} work items to ${options.out}\n`);
        } else ctx.io.stdout(text);
        return 0;
      }),
    );
};
