import { type Leaderboard, leaderboardText, safeText } from '@teamstate/core';
import type { RegisterCommand } from '../command-context.js';
import { buildConnectors } from '../config/build-connectors.js';
import { UsageError } from '../errors.js';
import { personLabel } from '../person-label.js';
import { postToSlack } from '../post-to-slack.js';
import { configFor, printJson, refuseNow, withTeamState } from '../runtime.js';
import { renderTable } from '../table.js';

const value = (measure: string, entry: Leaderboard['measures'][number]['entries'][number]) =>
  measure === 'guess_accuracy' ? `${Math.round(entry.value * 1000) / 10} % of ${entry.of}` : entry.value.toString();

/** One table per measure. */
function render(board: Leaderboard): string {
  const parts = [`Leaderboard, [${board.from}, ${board.to})`];
  for (const { measure, entries } of board.measures) {
    parts.push('', measure);
    parts.push(
      entries.length === 0
        ? '  (nobody)'
        : renderTable(
            ['#', 'person', 'value'],
            entries.map((e, i) => [String(i + 1), personLabel({ id: e.person, name: e.name }), value(measure, e)]),
          ),
    );
  }
  return `${parts.join('\n')}\n`;
}

/** `teamstate leaderboard`: the top people per measure over a window (docs/ai-impact.md#leaderboard); `--post` posts it to Slack. */
export const registerLeaderboard: RegisterCommand = (program, ctx) => {
  program
    .command('leaderboard')
    .description('the top people per measure (reviews given, PRs merged, survey answers, guess accuracy; never AI usage)')
    .option('--from <when>', 'start: an ISO timestamp or a day YYYY-MM-DD (default: 7 days before --to)')
    .option('--to <when>', 'end, exclusive (default: now)')
    .option('--post', 'post it to leaderboard.channel in Slack, through the policy (slack.message.post)')
    .addHelpText(
      'after',
      '\nExamples:\n  $ teamstate leaderboard\n  $ teamstate leaderboard --from 2026-03-02 --to 2026-03-09 --json\n  $ teamstate leaderboard --post',
    )
    .action(
      ctx.action(async (globals, options: { from?: string; to?: string; post?: boolean }) => {
        if (options.post) refuseNow(globals, 'leaderboard --post');
        const loaded = options.post ? configFor(globals, ctx.io) : undefined;
        if (options.post && !(loaded?.config.leaderboard?.enabled && loaded.config.leaderboard.channel))
          throw new UsageError(
            '--post: the leaderboard is off; set leaderboard: { enabled: true, channel: C0123ABCD } in teamstate.config.yaml to post it',
          );
        const connectors = loaded ? await buildConnectors(loaded, {}, { only: ['slack'] }) : undefined;
        return withTeamState(
          globals,
          ctx.io,
          async (ts) => {
            const board = await ts.ai.leaderboard({ from: options.from, to: options.to });
            const posted = options.post
              ? await postToSlack(ts, {
                  channel: loaded!.config.leaderboard!.channel!,
                  text: leaderboardText(board),
                  reason: `weekly leaderboard ${board.from.slice(0, 10)} to ${board.to.slice(0, 10)}`,
                })
              : undefined;
            if (globals.json)
              printJson(
                ctx.io,
                posted
                  ? { ...board, post: { status: posted.approval.status, approval: posted.approval.id, message: posted.message } }
                  : board,
              );
            else {
              ctx.io.stdout(safeText(render(board)));
              if (posted) ctx.io.stderr(`${posted.message}\n`);
            }
            return posted?.exitCode ?? 0;
          },
          connectors ? { connectors } : {},
        );
      }),
    );
};
