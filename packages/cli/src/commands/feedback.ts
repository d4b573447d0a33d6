import {
  type Approval,
  type EffectWindow,
  FEEDBACK_CATEGORIES,
  type FeedbackCategory,
  type FeedbackEffect,
  type FeedbackPattern,
  RULE_FORMATS,
  type RuleFormat,
  type RuleSuggestion,
  safeText,
  type TeamState,
  TeamStateError,
} from '@teamstate/core';
import type { Command } from 'commander';
import type { CommandContext, RegisterCommand } from '../command-context.js';
import { openWithConnectors } from '../config/open-with-connectors.js';
import { UsageError, wholeNumber } from '../errors.js';
import { osUser } from '../os-user.js';
import { plural } from '../plural.js';
import { type GlobalOptions, printJson, refuseNow, withTeamState } from '../runtime.js';
import { selfName } from '../self-command.js';
import { renderTable } from '../table.js';

interface AddOptions {
  category: string;
  text?: string;
  /** `-m/--message`, the same as `--text`. */
  message?: string;
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

/** Proposes the suggestion as `github.pr.open_file_change`, through the policy. */
async function proposeRules(ts: TeamState, suggestion: RuleSuggestion): Promise<Approval> {
  if (!ts.actions.list().some((action) => action.type === 'github.pr.open_file_change'))
    throw new TeamStateError(
      'invalid_config',
      'connectors.github is not configured: add it to teamstate.config.yaml (with the repository) to open the rules as a pull request',
    );
  if (suggestion.base === null)
    throw new TeamStateError(
      'invalid_argument',
      `repository: no configured connector reads ${suggestion.repository}, so its ${suggestion.path} is unknown and no pull request can be opened; add it to connectors.github.repositories`,
    );
  return ts.actions.propose({
    type: 'github.pr.open_file_change',
    target: `${suggestion.repository}:${suggestion.path}`,
    params: {
      repository: suggestion.repository,
      path: suggestion.path,
      content: suggestion.content,
      ...(suggestion.base.sha === null ? {} : { baseSha: suggestion.base.sha }),
      title: suggestion.pullRequest.title,
      body: suggestion.pullRequest.body,
    },
    reason: `teamstate feedback propose-rules: ${plural(suggestion.patterns.length, 'rule')} for ${suggestion.format}`,
    requestedBy: 'teamstate-cli',
  });
}

function outcome(approval: Approval): { message: string; exitCode: 0 | 1 } {
  switch (approval.status) {
    case 'executed': {
      const pr = approval.result as { url?: string } | undefined;
      return { message: `Opened ${pr?.url ?? 'the pull request'} (approval ${approval.id}).`, exitCode: 0 };
    }
    case 'pending':
      return {
        message: `Waiting for approval ${approval.id}: run ${selfName()} approvals approve ${approval.id} --as <person> to open the pull request.`,
        exitCode: 0,
      };
    case 'denied':
      return { message: `Not proposed: the policy denies github.pr.open_file_change (approval ${approval.id}).`, exitCode: 1 };
    default:
      return {
        message: `Not opened: approval ${approval.id} is ${approval.status}${approval.error ? ` (${approval.error.code}: ${approval.error.message})` : ''}.`,
        exitCode: 1,
      };
  }
}

const side = (w: EffectWindow) => `${w.feedback}/${w.aiPullRequests} = ${w.ratePer100 === null ? 'n/a' : w.ratePer100}`;

function renderEffect(effect: FeedbackEffect): string {
  const rows = effect.rules.flatMap((rule) =>
    rule.categories.map((c) => [
      `${rule.repository}#${rule.pullRequest}`,
      `${rule.mergedAt.slice(0, 10)}${rule.complete ? '' : ' (so far)'}`,
      c.category,
      side(c.before),
      side(c.after),
      c.change === null ? 'n/a' : `${c.change > 0 ? '+' : ''}${c.change}`,
    ]),
  );
  const table = renderTable(['Rule PR', 'Merged', 'Category', 'Before', 'After', 'Change'], rows, {
    align: ['left', 'left', 'left', 'right', 'right', 'right'],
  });
  const pending = effect.pending.map((p) => `${p.repository}#${p.pullRequest} (${p.path})`);
  return [
    `Feedback per 100 AI-assisted PRs merged, ${plural(effect.weeks, 'week')} before and after each rule PR merged (feedback/AI PRs = rate):`,
    table,
    ...(pending.length > 0 ? [`Not merged yet: ${pending.join(', ')}.`] : []),
    '',
  ].join('\n');
}

/** `teamstate feedback add|patterns|propose-rules|effect`: the AI-agent feedback loop (docs/ai-feedback.md, docs/cli.md#feedback). */
export const registerFeedback: RegisterCommand = (program, ctx) => {
  const feedback = program
    .command('feedback')
    .description('what AI assistants get wrong: add feedback, see the patterns, propose agent rules, measure their effect');
  registerFeedbackAdd(feedback, ctx);
  registerFeedbackPatterns(feedback, ctx);
  registerFeedbackProposeRules(feedback, ctx);
  registerFeedbackEffect(feedback, ctx);
};

/** `teamstate feedback add`: records what an assistant got wrong. */
function registerFeedbackAdd(feedback: Command, ctx: CommandContext): void {
  feedback
    .command('add')
    .description('record what an AI assistant got wrong (as --as; the OS user is recorded on the audit ledger)')
    .requiredOption('--category <category>', FEEDBACK_CATEGORIES.join('|'))
    .option('--text <text>', 'what the assistant got wrong')
    .option('-m, --message <text>', 'the same as --text (as report submit -m)')
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
    .action(ctx.action((globals, options: AddOptions) => addFeedback(ctx, globals, options)));
}

async function addFeedback(ctx: CommandContext, globals: GlobalOptions, options: AddOptions): Promise<number> {
  refuseNow(globals, 'feedback add');
  if (options.text !== undefined && options.message !== undefined && options.text !== options.message)
    throw new UsageError('--text, --message: give the text once (-m/--message and --text are the same flag)');
  const text = options.text ?? options.message;
  if (text === undefined) throw new UsageError('--text: required (what the assistant got wrong); -m/--message also gives it');
  if (options.as === undefined) throw new UsageError('--as: who reports this? give --as <person> (a person id; see teamstate people list)');
  const person = options.as;
  const paths = options.paths
    ?.split(',')
    .map((path) => path.trim())
    .filter((path) => path !== '');
  return withTeamState(globals, ctx.io, async (ts) => {
    const added = await ts.feedback.add({
      person,
      category: options.category as FeedbackCategory,
      text,
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
}

/** `teamstate feedback patterns`: what assistants keep getting wrong. */
function registerFeedbackPatterns(feedback: Command, ctx: CommandContext): void {
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
}

interface ProposeRulesOptions {
  repository: string;
  format: string;
  from?: string;
  to?: string;
  minCount: string;
  dryRun?: boolean;
}

/** `teamstate feedback propose-rules`: agent rules from a repository's patterns, proposed as a pull request. */
function registerFeedbackProposeRules(feedback: Command, ctx: CommandContext): void {
  feedback
    .command('propose-rules')
    .description("suggest rules for a repository's agent instructions from its patterns, and propose them as a pull request")
    .requiredOption('--repository <owner/name>', 'the repository (read and written through the GitHub connector)')
    .requiredOption('--format <format>', RULE_FORMATS.join('|'))
    .option('--from <when>', 'start of the feedback window (default 90 days before --to)')
    .option('--to <when>', 'end of the window, excluded (default now)')
    .option('--min-count <n>', 'patterns with at least n reports become rules', '2')
    .option('--dry-run', 'print the diff only; propose nothing')
    .addHelpText(
      'after',
      [
        '',
        'The pull request (github.pr.open_file_change, risk high) goes through the policy: it opens once a person approves',
        '(teamstate approvals approve <id>), and fails as stale if the file changed on the default branch meanwhile.',
        '',
        'Examples:',
        '  $ teamstate feedback propose-rules --repository acme/payments-api --format claude --dry-run',
        '  $ teamstate feedback propose-rules --repository acme/payments-api --format cursor',
      ].join('\n'),
    )
    .action(ctx.action((globals, options: ProposeRulesOptions) => suggestAndProposeRules(ctx, globals, options)));
}

async function suggestAndProposeRules(ctx: CommandContext, globals: GlobalOptions, options: ProposeRulesOptions): Promise<number> {
  if (!options.dryRun) refuseNow(globals, 'feedback propose-rules');
  const minCount = wholeNumber('--min-count', options.minCount);
  // The configured connectors read the current file (GitHub's repositoryFiles) and open the pull request.
  const ts = await openWithConnectors(globals, ctx.io, {}, {}, {}, { only: ['github'] });
  try {
    const suggestion = await ts.feedback.suggestRules({
      repository: options.repository,
      format: options.format as RuleFormat,
      minCount,
      ...(options.from === undefined ? {} : { from: options.from }),
      ...(options.to === undefined ? {} : { to: options.to }),
    });
    const approval = options.dryRun ? undefined : await proposeRules(ts, suggestion);
    if (globals.json) {
      printJson(ctx.io, { suggestion, ...(approval ? { approval } : {}) });
      return approval ? outcome(approval).exitCode : 0;
    }
    ctx.io.stdout(`${safeText(suggestion.diff).trimEnd()}\n`);
    if (!approval) return 0;
    const { message, exitCode } = outcome(approval);
    if (exitCode === 0) ctx.io.stdout(`\n${message}\n`);
    else ctx.io.stderr(`\n${message}\n`);
    return exitCode;
  } finally {
    await ts.close();
  }
}

/** `teamstate feedback effect`: whether merged rules helped. */
function registerFeedbackEffect(feedback: Command, ctx: CommandContext): void {
  feedback
    .command('effect')
    .description('whether merged rules helped: each category per 100 AI-assisted PRs, N weeks before and after the merge')
    .option('--weeks <n>', 'weeks before and after each merge (1-26)', '4')
    .option('--repository <owner/name>', 'only rules of this repository')
    .addHelpText(
      'after',
      '\nExamples:\n  $ teamstate feedback effect\n  $ teamstate feedback effect --repository acme/payments-api --weeks 8 --json',
    )
    .action(
      ctx.action(async (globals, options: { weeks: string; repository?: string }) => {
        const weeks = wholeNumber('--weeks', options.weeks);
        return withTeamState(globals, ctx.io, async (ts) => {
          const effect = await ts.feedback.effect({
            weeks,
            ...(options.repository === undefined ? {} : { repository: options.repository }),
          });
          if (globals.json) printJson(ctx.io, effect);
          else if (effect.rules.length === 0 && effect.pending.length === 0)
            ctx.io.stdout(`No rule pull requests yet (${selfName()} feedback propose-rules opens them).\n`);
          else ctx.io.stdout(renderEffect(effect));
          return 0;
        });
      }),
    );
}
