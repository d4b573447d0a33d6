import {
  type AiCohort,
  type AiDifference,
  type AiImpact,
  formatMetricChange,
  formatMetricValue,
  formatNumber,
  formatPercent,
  formatWindow,
  metricWindow,
} from '@teamstate/core';
import type { RegisterCommand } from '../command-context.js';
import { UsageError } from '../errors.js';
import { printJson, withTeamState } from '../runtime.js';
import { renderTable } from '../table.js';

const number = (value: number | null) => (value === null ? '—' : formatNumber(value));
/** A measure's value with its unit (`hours`, `ratio` as a percentage, else bare). */
const measured = (value: number | null, unit: string) => formatMetricValue(value, unit === 'count' ? '' : unit);
const changeOf = (value: number | null, unit: string) => (value === null ? '—' : formatMetricChange(value, unit === 'count' ? '' : unit));
const interval = (d: AiDifference, unit: string) =>
  d.interval ? `${changeOf(d.interval[0], unit)} to ${changeOf(d.interval[1], unit)}` : '—';

/** The groups side by side, the differences, weekly adoption and tools. */
function render(impact: AiImpact): string {
  const { assisted, other, comparison: c } = impact;
  const measure = (label: string, pick: (cohort: AiCohort) => number | null, d: AiDifference, unit = 'count') => [
    label,
    measured(pick(assisted), unit),
    measured(pick(other), unit),
    changeOf(d.difference, unit),
    interval(d, unit),
    d.direction,
  ];
  const rows = [
    ['merged PRs', String(assisted.n), String(other.n), '', '', ''],
    measure('cycle time p50', (g) => g.cycleTimeHoursP50, c.cycleTimeHours, 'hours'),
    measure('time to first review p50', (g) => g.timeToFirstReviewHoursP50, c.timeToFirstReviewHours, 'hours'),
    measure('review rounds (mean)', (g) => g.reviewRoundsMean, c.reviewRounds),
    measure('size p50 (lines)', (g) => g.sizeP50, c.sizeLines),
    measure('reverted or reworked in 21 days', (g) => g.reworkedShare, c.reworkedShare, 'ratio'),
  ];
  // Weeks start on Monday 00:00 UTC; one the window cuts says so.
  const weeks = impact.weekly.map((w) => [
    `${w.week.slice(0, 10)}${w.partial ? ' (partial)' : ''}`,
    String(w.merged),
    String(w.assisted),
    w.share === null ? '—' : formatPercent(w.share),
  ]);
  const tools = impact.tools.map((t) => [t.tool, String(t.n), measured(t.cycleTimeHoursP50, 'hours')]);
  if (impact.withoutTool.n > 0)
    tools.push(['no tool named', `${impact.withoutTool.n}`, measured(impact.withoutTool.cycleTimeHoursP50, 'hours')]);
  const { quality, guesses } = impact.reviews;
  const reviewLines =
    quality.assistedRatings + quality.otherRatings + guesses.total === 0
      ? []
      : [
          '',
          `Reviewers' quality rating (1-5): AI-assisted ${number(quality.assisted)} (${quality.assistedRatings} ratings), other ${number(quality.other)} (${quality.otherRatings})`,
          `Reviewers' guesses matching the author's answer: ${guesses.correct} of ${guesses.total}`,
        ];
  const usage = impact.usage.map((u) => [
    u.tool,
    String(u.days),
    String(u.activeUsersPerDay),
    String(u.codeGenerations),
    String(u.acceptances),
    u.acceptanceRate === null ? '—' : formatPercent(u.acceptanceRate),
  ]);
  const rules = impact.rules.flatMap((rule) =>
    rule.categories.map((c) => [
      `${rule.repository}#${rule.pullRequest} ${rule.path}`,
      c.category,
      `${c.before.feedback}/${c.before.aiPullRequests} = ${number(c.before.ratePer100)}`,
      `${c.after.feedback}/${c.after.aiPullRequests} = ${number(c.after.ratePer100)}${rule.complete ? '' : ' (so far)'}`,
    ]),
  );
  return [
    `AI impact, PRs merged in ${formatWindow(impact)}${impact.team ? ` · team ${impact.team}` : ''}${impact.repository ? ` · ${impact.repository}` : ''}`,
    '',
    renderTable(['measure', 'AI-assisted', 'other', 'difference', '95% interval', 'verdict'], rows),
    '',
    impact.verdict,
    '',
    'Weekly adoption',
    renderTable(['week (from Monday, UTC)', 'merged', 'AI-assisted', 'share'], weeks),
    ...(tools.length ? ['', 'Tools', renderTable(['tool', 'PRs', 'cycle time p50'], tools)] : []),
    ...reviewLines,
    ...(usage.length
      ? ['', 'Usage', renderTable(['tool', 'days', 'active users/day', 'generations', 'acceptances', 'acceptance rate'], usage)]
      : []),
    ...(rules.length
      ? ['', 'Agent rules (feedback per 100 AI-assisted PRs)', renderTable(['rule', 'category', 'before', 'after'], rules)]
      : []),
    '',
  ].join('\n');
}

/** `teamstate ai-impact`: AI-assisted vs other merged pull requests (docs/ai-impact.md). */
export const registerAiImpact: RegisterCommand = (program, ctx) => {
  program
    .command('ai-impact')
    .description('AI-assisted vs other merged pull requests: speed, reviews, size, weekly adoption, tools')
    .option('--from <when>', 'start: an ISO timestamp or a day YYYY-MM-DD (default: 30 days before --to)')
    .option('--to <when>', 'end, exclusive (default: now)')
    .option('--team <id>', 'only this team')
    .option('--repository <owner/name>', 'only this repository')
    .option('--min-sample <n>', 'PRs needed in each group to compare them', '10')
    .addHelpText(
      'after',
      '\nExamples:\n  $ teamstate ai-impact\n  $ teamstate ai-impact --from 2026-03-01 --to 2026-04-01 --team payments --json',
    )
    .action(
      ctx.action(async (globals, options: { from?: string; to?: string; team?: string; repository?: string; minSample: string }) => {
        const minSample = Number(options.minSample);
        if (!Number.isInteger(minSample) || minSample < 2)
          throw new UsageError(`--min-sample: expected a whole number of at least 2, got "${options.minSample}"`);
        return withTeamState(globals, ctx.io, async (ts) => {
          const window = metricWindow({ from: options.from, to: options.to }, ts.now());
          const impact = await ts.ai.impact({ ...window, team: options.team, repository: options.repository, minSample });
          if (globals.json) printJson(ctx.io, impact);
          else ctx.io.stdout(render(impact));
          return 0;
        });
      }),
    );
};
