import { FEEDBACK_CATEGORIES, type FeedbackCategory, type FeedbackPattern, safeText } from '@teamstate/core';
import type { RegisterCommand } from '../command-context.js';
import { UsageError } from '../errors.js';
import { osUser } from '../os-user.js';
import { printJson, refuseNow, withTeamState } from '../runtime.js';
import { renderTable } from '../table.js';

interface AddOptions {
  category: string;
  text: string;
  repository?: string;
  paths?: string;
  pullRequest?: string;
  tool?: string;
  as?: string;
}

/** `--pull-request 42` as a number, or a usage error naming the flag. */
function pullRequestOption(value: string): number {
  if (!/^[1-9]\d{0,8}$/.test(value.trim()))
    throw new UsageError(`--pull-request: expected a pull request number such as 42, got "${value}"`);
  return Number(value);
}

const TREND = { rising: '↑', falling: '↓', steady: '→' } as const;

function renderPatterns(patterns: readonly FeedbackPattern[]): string {
  const rows = patterns.map((p) => [
    p.count,
    p.category,
    p.repository ?? '',
    p.pathPattern ?? '',
    p.language ?? '',
    `${TREND[p.trend.direction]} ${p.trend.earlier}→${p.trend.later}`,
    safeText(p.examples[0]?.text ?? '', { singleLine: true, maxLength: 80 }),
  ]);
  return `${renderTable(['Count', 'Category', 'Repository', 'Path', 'Language', 'Trend', 'Latest example'], rows, {
    align: ['right'],
    drop: [4, 2],
  })}\n`;
}

/** `teamstate feedback add|patterns|propose-rules|effect`: the AI-agent feedback loop (DESIGN.md sections 9 and 15). */
export const registerFeedback: RegisterCommand = (program, ctx) => {
  const feedback = program
    .command('feedback')
    .description('what AI assistants get wrong: add feedback, see the patterns, propose agent rules, measure their effect');

  feedback
    .command('add')
    .description('record what an AI assistant got wrong (as --as; the OS user is recorded on the audit ledger)')
    .requiredOption('--category <category>', FEEDBACK_CATEGORIES.join('|'))
    .requiredOption('--text <text>', 'what the assistant got wrong')
    .option('--repository <owner/name>', 'the repository (one the workspace tracks)')
    .option('--paths <a,b>', 'files or folders concerned, relative to the repository root, comma-separated')
    .option('--pull-request <n>', 'the pull request number in --repository')
    .option('--tool <name>', 'the assistant, e.g. claude-code, copilot, cursor')
    .option('--as <person>', 'who reports it')
    .addHelpText(
      'after',
      [
        '',
        'Examples:',
        '  $ teamstate feedback add --category missing_tests --text "Forgot our refund fixtures" --repository acme/api \\',
        '      --paths services/payments/refund.ts --pull-request 42 --tool claude-code --as ana-garcia',
        '  $ teamstate feedback add --category hallucinated_api --text "Invented stripe.refunds.void()" --as ana-garcia --json',
      ].join('\n'),
    )
    .action(
      ctx.action(async (globals, options: AddOptions) => {
        refuseNow(globals, 'feedback add');
        if (options.as === undefined)
          throw new UsageError('--as: who reports this? give --as <person> (a person id; see teamstate people list)');
        const person = options.as;
        const paths = options.paths
          ?.split(',')
          .map((path) => path.trim())
          .filter((path) => path !== '');
        return withTeamState(globals, ctx.io, async (ts) => {
          const added = await ts.feedback.add({
            person,
            category: options.category as FeedbackCategory,
            text: options.text,
            submittedBy: osUser(),
            ...(options.repository === undefined ? {} : { repository: options.repository }),
            ...(paths === undefined ? {} : { paths }),
            ...(options.pullRequest === undefined ? {} : { pullRequest: pullRequestOption(options.pullRequest) }),
            ...(options.tool === undefined ? {} : { tool: options.tool }),
          });
          if (globals.json) printJson(ctx.io, { feedback: added });
          else ctx.io.stdout(`Recorded ${added.person}'s feedback (${added.category}, ${added.id}).\n`);
          return 0;
        });
      }),
    );

  feedback
    .command('patterns')
    .description('what assistants keep getting wrong: feedback grouped by category, path and language, most reported first')
    .option('--from <when>', 'start of the window (ISO timestamp or YYYY-MM-DD; default 90 days before --to)')
    .option('--to <when>', 'end of the window, excluded (default now)')
    .option('--team <id>', "only the team's repositories (and its members' feedback without one)")
    .option('--repository <owner/name>', 'only this repository')
    .addHelpText(
      'after',
      '\nExamples:\n  $ teamstate feedback patterns --repository acme/payments-api\n  $ teamstate feedback patterns --team payments --from 2026-01-01 --json',
    )
    .action(
      ctx.action(async (globals, options: { from?: string; to?: string; team?: string; repository?: string }) =>
        withTeamState(globals, ctx.io, async (ts) => {
          const { patterns } = await ts.feedback.patterns(options);
          if (globals.json) printJson(ctx.io, { patterns });
          else if (patterns.length === 0) ctx.io.stdout('No AI feedback in this window.\n');
          else ctx.io.stdout(renderPatterns(patterns));
          return 0;
        }),
      ),
    );
};
