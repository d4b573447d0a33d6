import { safeText } from '@teamstate/core';
import type { RegisterCommand } from '../command-context.js';
import { UsageError } from '../errors.js';
import { printJson, withTeamState } from '../runtime.js';

/**
 * `teamstate audit verify [--expect-head <seq>:<hash>] [--json]`: recomputes the audit ledger's hash chain.
 * Exit code 0 when intact, 1 when broken (the first entry that does not verify, then every further problem).
 */
export const registerAudit: RegisterCommand = (program, ctx) => {
  const audit = program.command('audit').description('the tamper-evident audit ledger of proposals, decisions and executions');
  audit
    .command('verify')
    .description('recompute the hash chain; exit 1 and report every broken entry if a row was edited, deleted or reordered')
    .option('--expect-head <seq:hash>', 'a head printed earlier (seq:hash): the ledger must still contain it unchanged')
    .addHelpText('after', '\nExamples:\n  $ teamstate audit verify\n  $ teamstate audit verify --expect-head 42:9f86d081…')
    .action(
      ctx.action(async (globals, options: { expectHead?: string }) => {
        const expectedHead = options.expectHead === undefined ? undefined : parseHead(options.expectHead);
        const result = await withTeamState(globals, ctx.io, (ts) => ts.audit.verify({ expectedHead }));
        if (globals.json) printJson(ctx.io, result);
        else if (result.ok) {
          const head = result.head ? `; head ${result.head.seq}:${result.head.hash} (keep it to pin the ledger)` : '';
          ctx.io.stdout(`Audit ledger intact: ${result.entries} entries${head}\n`);
        } else {
          // Problems quote what the database holds (an edited approval id may carry escape sequences): shown as data.
          const shown = (problem: string | undefined) => safeText(problem ?? '', { singleLine: true });
          const [, ...more] = result.problems ?? [];
          ctx.io.stdout(
            [
              `Audit ledger BROKEN at entry ${result.firstBrokenSeq}: ${shown(result.problem)}\n`,
              ...more.map(({ seq, problem }) => `  also at entry ${seq}: ${shown(problem)}\n`),
            ].join(''),
          );
        }
        return result.ok ? 0 : 1;
      }),
    );
};

function parseHead(text: string): { seq: number; hash: string } {
  const match = /^(\d+):([0-9a-f]{64})$/.exec(text);
  if (!match) throw new UsageError(`--expect-head: expected <seq>:<sha256 hex>, e.g. 42:${'0'.repeat(64)}, got "${text}"`);
  return { seq: Number(match[1]), hash: match[2]! };
}
