import type { TimelineEntry } from '@teamstate/core';
import type { RegisterCommand } from '../command-context.js';
import { wholeNumber } from '../errors.js';
import { printJson, withTeamState } from '../runtime.js';
import { renderTable } from '../table.js';

const DAY_MS = 86_400_000;

/** What happened, and on what, in a few words. */
function describe(entry: TimelineEntry): [string, string] {
  switch (entry.kind) {
    case 'report':
      return ['report', entry.report.text];
    case 'pr.opened':
    case 'pr.merged':
      return [entry.kind === 'pr.opened' ? 'opened' : 'merged', `${entry.workItem.key} ${entry.workItem.title}`];
    case 'pr.reviewed':
      return [`reviewed (${entry.review.state})`, `${entry.workItem.key} ${entry.workItem.title}`];
    case 'issue.moved':
      return [`moved ${entry.from ?? '—'} → ${entry.to}`, `${entry.workItem.key} ${entry.workItem.title}`];
    case 'deployment.shipped':
      return [`shipped to ${entry.deployment.environment}`, entry.pullRequests.map((pr) => pr.key).join(', ')];
    default:
      return [(entry as { kind: string }).kind, ''];
  }
}

/** `teamstate timeline <person>`: a person's reports and activity in time order (docs/cli.md#timeline). */
export const registerTimeline: RegisterCommand = (program, ctx) => {
  program
    .command('timeline')
    .description("a person's daily reports and activity (PRs opened, merged, reviewed; issues moved; deployments) in time order")
    .argument('<person>', 'person id, login or email')
    .option('--from <when>', 'start: an ISO timestamp or a day YYYY-MM-DD (default: 7 days before now)')
    .option('--to <when>', 'end, exclusive: an ISO timestamp, or a day YYYY-MM-DD (included) (default: now)')
    .option('--limit <n>', 'at most n entries (1-500)', '200')
    .addHelpText(
      'after',
      '\nExamples:\n  $ teamstate timeline ana-garcia\n  $ teamstate timeline ana-garcia --from 2026-03-02 --to 2026-03-06 --json',
    )
    .action(
      ctx.action(async (globals, who: string, options: { from?: string; to?: string; limit: string }) => {
        const limit = wholeNumber('--limit', options.limit);
        return withTeamState(globals, ctx.io, async (ts) => {
          const person = (await ts.people.get(who))?.id ?? who;
          const now = ts.now().getTime();
          const page = await ts.reports.timeline(person, {
            from: options.from ?? new Date(now - 7 * DAY_MS).toISOString(),
            to: options.to ?? new Date(now + 1).toISOString(),
            limit,
          });
          if (globals.json) printJson(ctx.io, page);
          else if (page.items.length === 0) ctx.io.stdout('Nothing in this window.\n');
          else {
            const rows = page.items.map((entry) => [`${entry.at.slice(0, 10)} ${entry.at.slice(11, 16)}`, ...describe(entry)]);
            // A report's lines go one under the other in the Item column.
            ctx.io.stdout(`${renderTable(['When', 'What', 'Item'], rows, { multiline: [2] })}\n`);
            if (page.nextCursor) ctx.io.stdout(`… more entries: narrow --from/--to, or raise --limit\n`);
          }
          return 0;
        });
      }),
    );
};
