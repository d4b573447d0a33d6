import { TeamStateError } from '../../kernel/errors.js';
import type { RuleEffect } from '../../kernel/model/feedback.js';
import { addDays } from '../../kernel/model/local-day.js';
import { formatTimestamp } from '../../kernel/model/timestamp.js';
import type { Store } from '../../kernel/store/open-store.js';
import { createStoreReader } from '../../kernel/store/store-reader.js';
import { formatMetricChange, formatMetricValue } from '../../kernel/text/format-values.js';
import { checkKnown } from '../../records/arguments.js';
import { percentile } from '../../services/approvals/index.js';
import { parseWindowBound } from '../../services/metrics/index.js';
import { mulberry32, resampledMean, resampledMedian } from '../../services/statistics/index.js';
import { type AiAdoptionWeek, weeklyAdoption } from './adoption-weeks.js';
import { type AiReviewAnswers, impactScope, type Measured, readMergedPullRequests, reviewerAnswers } from './ai-impact-reads.js';
import { type AiToolUsage, summarizeAiUsage } from './ai-usage-summary.js';

export type { AiAdoptionWeek } from './adoption-weeks.js';

// `ts.aiImpact()`: AI-assisted vs other merged pull requests (docs/ai-impact.md#analysis). The PRs of the window are
// read once (one row each, first review and review rounds from their reviews); medians, the bootstrap and the weekly
// series are computed over those rows.

/** The window and scope of an AI impact analysis. */
export interface AiImpactQuery {
  /** Start of the window (ISO timestamp or a day `YYYY-MM-DD`, inclusive): PRs merged in `[from, to)`. */
  from: string;
  /** End of the window (exclusive). */
  to: string;
  /** Only PRs of this team (their own team, or their repository's). */
  team?: string;
  /** Only PRs of this repository (`owner/name`). */
  repository?: string;
  /** Below this many PRs in either group the verdict is "not enough data" (default 10). */
  minSample?: number;
  /** Bootstrap resamples (default 2,000). */
  resamples?: number;
  /** Seed of the bootstrap (default 1): the same data and seed give the same intervals. */
  seed?: number;
}

/** One group of merged pull requests. `null` where it has none to measure. */
export interface AiCohort {
  /** Merged PRs in the group. */
  n: number;
  /** p50 of merge − (first commit ?? creation), hours (as `pr_cycle_time`). */
  cycleTimeHoursP50: number | null;
  /** p50 of the first review by someone other than the author − (ready ?? creation), hours, over PRs with one. */
  timeToFirstReviewHoursP50: number | null;
  /** Mean number of "changes requested" reviews per PR. */
  reviewRoundsMean: number | null;
  /** p50 of additions + deletions, over PRs with a size. */
  sizeP50: number | null;
  /**
   * Share of the group reverted or reworked within 21 days of its merge: a later PR of the same repository, merged in
   * those 21 days, that reverts it (`Revert "<title>"`, or `Reverts <owner/name>#<n>` in its body) or carries a rework
   * label (`metricSettings.reworkLabels`) and names it (`#<n>`). `null` for an empty group.
   */
  reworkedShare: number | null;
}

/** A measure compared between the groups: AI-assisted p50 − other p50, with a bootstrap 95% interval. */
export interface AiDifference {
  /** AI-assisted minus other (medians; review rounds: means); `null` when a group has nothing to measure. */
  difference: number | null;
  /** 2.5th and 97.5th percentiles of the bootstrap differences; `null` without enough data. */
  interval: [number, number] | null;
  /** `lower`, `higher`, `no clear difference` (the interval holds 0), or `not enough data`. */
  direction: 'lower' | 'higher' | 'no clear difference' | 'not enough data';
}

/** The AI impact of a window: both groups, their differences, weekly adoption and the tools. */
export interface AiImpact {
  from: string;
  to: string;
  team?: string;
  repository?: string;
  /** PRs whose `ai.assisted` is true. */
  assisted: AiCohort;
  /** Every other merged PR (no evidence, or the author said "none"). */
  other: AiCohort;
  comparison: {
    cycleTimeHours: AiDifference;
    timeToFirstReviewHours: AiDifference;
    reviewRounds: AiDifference;
    sizeLines: AiDifference;
    reworkedShare: AiDifference;
  };
  /** In plain words; "Not enough data …" when either group has fewer than `minSample` PRs. */
  verdict: string;
  minSample: number;
  weekly: AiAdoptionWeek[];
  /** Per tool named by the evidence, most PRs first (a PR may name several tools). */
  tools: { tool: string; n: number; cycleTimeHoursP50: number | null }[];
  /** AI-assisted PRs whose evidence names no tool (an `ai-assisted` label alone, a survey answer without tools). */
  withoutTool: { n: number; cycleTimeHoursP50: number | null };
  /**
   * What reviewers said in pull request surveys about these PRs: their mean quality rating (1-5) per group, and how
   * often their guess ("was it AI-assisted?") matched the author's own answer, with the counts.
   */
  reviews: AiReviewAnswers;
  /** Usage of AI coding tools over the same days (Copilot usage reports, bundle `aiUsage`), per tool. */
  usage: AiToolUsage[];
  /**
   * The agent rules teamstate proposed that merged (`ts.feedback.effect()`, in the repository when one is given): each
   * category's feedback per 100 AI-assisted PRs before and after, with the counts.
   */
  rules: RuleEffect[];
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** The bootstrap's settings: the smallest group compared, how many resamples, and their seed. */
interface Bootstrap {
  minSample: number;
  resamples: number;
  seed: number;
}

/** Reads the window's merged PRs and compares AI-assisted ones with the others. */
export async function aiImpact(
  deps: {
    store: Store;
    workspace: string;
    now: () => Date;
    reworkLabels?: readonly string[];
    /** The effect of the agent rules teamstate proposed (`ts.feedback.effect`). */
    ruleEffects(query: { repository?: string }): Promise<{ rules: RuleEffect[] }>;
  },
  query: AiImpactQuery,
): Promise<AiImpact> {
  const { store, workspace } = deps;
  const from = bound('from', query.from);
  const to = bound('to', query.to);
  if (to <= from) throw new TeamStateError('invalid_argument', `to: must be after from (got ${query.from} .. ${query.to})`);
  const bootstrap: Bootstrap = {
    minSample: whole('minSample', query.minSample, 10, 2),
    resamples: whole('resamples', query.resamples, 2_000, 100),
    seed: whole('seed', query.seed, 1, 0),
  };
  // An unknown team is a mistake to report (with the closest team), never a table of zeros that reads as no AI use.
  await checkKnown((text, values) => store.execute(text, values), workspace, 'team', query.team);
  const scope = impactScope(workspace, from, to, query);
  const prs = await readMergedPullRequests(store, scope, deps.reworkLabels ?? ['hotfix', 'revert', 'incident']);
  const assisted = prs.filter((pr) => pr.assisted);
  const other = prs.filter((pr) => !pr.assisted);
  const comparison = compareGroups(assisted, other, bootstrap);
  const reviews = await reviewerAnswers(store, scope);
  const { rules } = await deps.ruleEffects(query.repository !== undefined ? { repository: query.repository } : {});
  const usage = await usageOver(deps, from, to, query.team);
  return {
    from: formatTimestamp(from),
    to: formatTimestamp(to),
    ...(query.team !== undefined ? { team: query.team } : {}),
    ...(query.repository !== undefined ? { repository: query.repository } : {}),
    assisted: cohort(assisted),
    other: cohort(other),
    comparison,
    verdict: verdict(assisted.length, other.length, bootstrap.minSample, comparison),
    minSample: bootstrap.minSample,
    weekly: weeklyAdoption(prs, from, to),
    tools: toolBreakdown(assisted),
    withoutTool: withoutTool(assisted),
    reviews,
    usage: usage.tools,
    rules,
  };
}

/**
 * Each measure compared between the groups, with a bootstrap 95% interval of the difference when both groups have at
 * least `minSample` pull requests (and values of it).
 */
function compareGroups(assisted: readonly Measured[], other: readonly Measured[], bootstrap: Bootstrap): AiImpact['comparison'] {
  const { minSample, resamples } = bootstrap;
  const enough = assisted.length >= minSample && other.length >= minSample;
  const random = mulberry32(bootstrap.seed);
  const compare = (pick: (pr: Measured) => number | null, statistic: 'median' | 'mean'): AiDifference => {
    const a = values(assisted, pick).sort((x, y) => x - y);
    const b = values(other, pick).sort((x, y) => x - y);
    const of = statistic === 'median' ? median : mean;
    const difference = subtract(of(a), of(b));
    if (!enough || a.length < minSample || b.length < minSample || difference === null)
      return { difference, interval: null, direction: 'not enough data' };
    const draw = statistic === 'median' ? resampledMedian : resampledMean;
    const [countsA, countsB] = [new Uint32Array(a.length), new Uint32Array(b.length)];
    const differences: number[] = [];
    for (let i = 0; i < resamples; i++) differences.push(draw(a, countsA, random) - draw(b, countsB, random));
    differences.sort((x, y) => x - y);
    const interval: [number, number] = [percentile(differences, 0.025)!, percentile(differences, 0.975)!];
    const direction = interval[0] > 0 ? 'higher' : interval[1] < 0 ? 'lower' : 'no clear difference';
    return { difference, interval, direction };
  };
  // In this order: the resamples of each measure are drawn from the one generator.
  return {
    cycleTimeHours: compare((pr) => pr.cycle, 'median'),
    timeToFirstReviewHours: compare((pr) => pr.firstReview, 'median'),
    reviewRounds: compare((pr) => pr.rounds, 'mean'),
    sizeLines: compare((pr) => pr.size, 'median'),
    reworkedShare: compare((pr) => (pr.reworked ? 1 : 0), 'mean'),
  };
}

/** Per tool the AI-assisted pull requests name, most PRs first, with their cycle time p50. */
function toolBreakdown(assisted: readonly Measured[]): AiImpact['tools'] {
  const toolNames = [...new Set(assisted.flatMap((pr) => pr.tools))];
  return toolNames
    .map((tool) => {
      const group = assisted.filter((pr) => pr.tools.includes(tool));
      return { tool, n: group.length, cycleTimeHoursP50: median(values(group, (pr) => pr.cycle)) };
    })
    .sort((x, y) => y.n - x.n || x.tool.localeCompare(y.tool));
}

/** The AI-assisted pull requests whose evidence names no tool, with their cycle time p50. */
function withoutTool(assisted: readonly Measured[]): AiImpact['withoutTool'] {
  const group = assisted.filter((pr) => pr.tools.length === 0);
  return { n: group.length, cycleTimeHoursP50: median(values(group, (pr) => pr.cycle)) };
}

/** AI tool usage over the days the window touches (usage is reported per UTC day). */
async function usageOver(deps: { store: Store; workspace: string }, from: number, to: number, team: string | undefined) {
  const lastDay = formatTimestamp(to).slice(0, 10);
  return summarizeAiUsage(createStoreReader(deps.store, deps.workspace), {
    from: formatTimestamp(from).slice(0, 10),
    to: to % DAY === 0 ? lastDay : addDays(lastDay, 1),
    ...(team !== undefined ? { team } : {}),
  });
}

function cohort(prs: readonly Measured[]): AiCohort {
  return {
    n: prs.length,
    cycleTimeHoursP50: median(values(prs, (pr) => pr.cycle)),
    timeToFirstReviewHoursP50: median(values(prs, (pr) => pr.firstReview)),
    reviewRoundsMean: mean(values(prs, (pr) => pr.rounds)),
    sizeP50: median(values(prs, (pr) => pr.size)),
    reworkedShare: mean(values(prs, (pr) => (pr.reworked ? 1 : 0))),
  };
}

function verdict(assisted: number, other: number, minSample: number, comparison: AiImpact['comparison']): string {
  if (assisted < minSample || other < minSample)
    return `Not enough data: ${assisted} AI-assisted and ${other} other merged pull requests; at least ${minSample} of each are needed to compare them.`;
  // Each number with its unit (the shared formatter): hours, rounds, lines, and a share's change in percentage points.
  const phrase = (name: string, unit: string, d: AiDifference) => {
    if (d.direction === 'not enough data') return `${name}: not enough data`;
    const range = `95% interval ${formatMetricChange(d.interval![0], unit)} to ${formatMetricChange(d.interval![1], unit)}`;
    if (d.direction === 'no clear difference') return `${name}: no clear difference (${formatMetricChange(d.difference!, unit)}, ${range})`;
    return `${name}: ${d.direction} for AI-assisted PRs by ${formatMetricValue(Math.abs(d.difference!), unit)} (${range})`;
  };
  return [
    `${assisted} AI-assisted vs ${other} other merged pull requests.`,
    `${phrase('Cycle time p50', 'hours', comparison.cycleTimeHours)};`,
    `${phrase('time to first review p50', 'hours', comparison.timeToFirstReviewHours)};`,
    `${phrase('review rounds (mean)', 'rounds', comparison.reviewRounds)};`,
    `${phrase('size p50', 'lines', comparison.sizeLines)};`,
    `${phrase('share reverted or reworked within 21 days', 'ratio', comparison.reworkedShare)}.`,
  ].join(' ');
}

const values = (prs: readonly Measured[], pick: (pr: Measured) => number | null): number[] =>
  prs.flatMap((pr) => {
    const value = pick(pr);
    return value === null ? [] : [value];
  });

function median(list: readonly number[]): number | null {
  return percentile(
    [...list].sort((a, b) => a - b),
    0.5,
  );
}

function mean(list: readonly number[]): number | null {
  return list.length === 0 ? null : list.reduce((sum, value) => sum + value, 0) / list.length;
}

function subtract(a: number | null, b: number | null): number | null {
  return a === null || b === null ? null : a - b;
}

function bound(name: string, value: string): number {
  const ms = parseWindowBound(value);
  if (ms === undefined)
    throw new TeamStateError('invalid_argument', `${name}: invalid ISO timestamp "${value}" (expected e.g. 2026-03-01T00:00:00Z)`);
  return ms;
}

function whole(name: string, value: number | undefined, fallback: number, min: number): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < min)
    throw new TeamStateError('invalid_argument', `${name}: expected a whole number of at least ${min}, got ${value}`);
  return value;
}
