import { safeText } from '@teamstate/core';
import type { RegisterCommand } from '../command-context.js';
import { UsageError, wholeNumber } from '../errors.js';
import { printJson, withTeamState } from '../runtime.js';
import { renderTable } from '../table.js';

/**
 * `teamstate audit verify [--expect-head <seq>:<hash>] [--json]`: recomputes the audit ledger's hash chain.
 * Exit code 0 when intact, 1 when broken (the first entry that does not verify, then every further problem).
 * `teamstate audit list [--kind <k>] [--limit <n>] [--json]`: the newest entries, in ledger order.
 */
export const registerAudit: RegisterCommand = (program, ctx) => {
  const audit = program.command('audit').description('the tamper-evident audit ledger of proposals, decisions and executions');
  audit
    .command('list')
    .description('the newest ledger entries in ledger order (JSON: { entries })')
    .option('--kind <kind>', 'only entries of this kind, e.g. signal.ack or approval.decided')
    .option('--limit <n>', 'at most n entries, the newest (1-1000)', '100')
    .addHelpText('after', '\nExamples:\n  $ teamstate audit list --kind signal.ack\n  $ teamstate audit list --json')
    .action(
      ctx.action(async (globals, options: { kind?: string; limit: string }) => {
        const limit = wholeNumber('--limit', options.limit);
        if (limit < 1 || limit > 1000) throw new UsageError(`--limit: expected a whole number from 1 to 1000, got ${options.limit}`);
        if (options.kind !== undefined && !/^[a-z_]+\.[a-z_]+$/.test(options.kind))
          throw new UsageError(
            `--kind: expected an entry kind such as signal.ack or approval.decided, got ${JSON.stringify(options.kind)}`,
          );
        const entries = await withTeamState(globals, ctx.io, async (ts) => {
          const type = options.kind === undefined ? {} : { type: options.kind };
          // The newest `limit` entries, shown oldest first like the ledger: without a kind they are the last `limit`
          // sequence numbers; of one kind, the ledger is read in pages for them.
          const found: Awaited<ReturnType<typeof ts.audit.list>> = [];
          let afterSeq = options.kind === undefined ? Math.max(0, ((await ts.audit.head())?.seq ?? 0) - limit) : 0;
          for (;;) {
            const page = await ts.audit.list({ ...type, afterSeq, limit: 1000 });
            found.push(...page.slice(-limit));
            if (found.length > limit) found.splice(0, found.length - limit);
            const last = page.at(-1);
            if (page.length < 1000 || last === undefined) return found;
            afterSeq = last.seq;
          }
        });
        if (globals.json) printJson(ctx.io, { entries });
        else if (entries.length === 0)
          ctx.io.stdout(options.kind === undefined ? 'The audit ledger is empty.\n' : `No audit entries of kind ${options.kind}.\n`);
        else
          ctx.io.stdout(
            `${renderTable(
              ['SEQ', 'AT', 'KIND', 'ACTOR', 'DETAIL'],
              entries.map((e) => [e.seq, e.at, e.type, e.actor, e.approvalId ?? detail(e.data)]),
              { align: ['right'], drop: [1] },
            )}\n`,
          );
        return 0;
      }),
    );
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

/** The most telling field of an entry's data, for the table: a signal, a person, a key. */
function detail(data: Record<string, unknown>): string {
  for (const key of ['signal', 'report', 'person', 'token', 'grant', 'key', 'folder']) {
    const value = data[key];
    if (typeof value === 'string') return `${key} ${value}`;
  }
  return '';
}

function parseHead(text: string): { seq: number; hash: string } {
  const match = /^(\d+):([0-9a-f]{64})$/.exec(text);
  if (!match) throw new UsageError(`--expect-head: expected <seq>:<sha256 hex>, e.g. 42:${'0'.repeat(64)}, got "${text}"`);
  return { seq: Number(match[1]), hash: match[2]! };
}
