import { TeamStateError } from '../../kernel/errors.js';
import { addDays } from '../../kernel/model/local-day.js';
import { formatTimestamp } from '../../kernel/model/timestamp.js';
import type { Store } from '../../kernel/store/open-store.js';
import { columns, flag, integer, nullable, text } from '../../kernel/store/row-decoder.js';
import { createStoreReader } from '../../kernel/store/store-reader.js';
import { checkKnown } from '../../records/arguments.js';
import { percentile } from '../../services/approvals/index.js';
import { parseWindowBound } from '../../services/metrics/index.js';
import { feedbackEffect, type RuleEffect } from '../feedback/index.js';
import { type AiToolUsage, summarizeAiUsage } from './ai-usage-summary.js';

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

/** Merged PRs of one week (Monday 00:00 UTC; the first and last clipped to the window). */
export interface AiAdoptionWeek {
  from: string;
  to: string;
  merged: number;
  assisted: number;
  /** `assisted ÷ merged`, `null` without merges. */
  share: number | null;
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
  /**
   * What reviewers said in pull request surveys about these PRs: their mean quality rating (1-5) per group, and how
   * often their guess ("was it AI-assisted?") matched the author's own answer, with the counts.
   */
  reviews: {
    quality: { assisted: number | null; assistedRatings: number; other: number | null; otherRatings: number };
    guesses: { correct: number; total: number; accuracy: number | null };
  };
  /** Usage of AI coding tools over the same days (Copilot usage reports, bundle `aiUsage`), per tool. */
  usage: AiToolUsage[];
  /**
   * The agent rules teamstate proposed that merged (`ts.feedback.effect()`, in the repository when one is given): each
   * category's feedback per 100 AI-assisted PRs before and after, with the counts.
   */
  rules: RuleEffect[];
}

/** A merged pull request of the window, with its first review by someone else, review rounds and whether it was reworked. */
const mergedPullRequest = columns({
  merged_at: integer,
  created_at: integer,
  first_commit_at: nullable(integer),
  ready_at: nullable(integer),
  additions: nullable(integer),
  deletions: nullable(integer),
  ai_assisted: nullable(integer),
  /** The `ai.tools` JSON array, NULL when the evidence names none. */
  tools: nullable(text),
  first_review_at: nullable(integer),
  changes_requested: integer,
  reworked: flag,
});

/** A reviewer's survey answer about a merged pull request, with the author's own answer (`assisted`). */
const reviewerAnswer = columns({
  ai_assisted: nullable(integer),
  quality: nullable(integer),
  guess: nullable(integer),
  author_said: nullable(text),
});

interface Measured {
  assisted: boolean;
  tools: string[];
  mergedAt: number;
  cycle: number;
  firstReview: number | null;
  rounds: number;
  size: number | null;
  reworked: boolean;
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const WEEK = 7 * DAY;
const REWORK_WINDOW = 21 * DAY;

/** Reads the window's merged PRs and compares AI-assisted ones with the others. */
export async function aiImpact(
  deps: { store: Store; workspace: string; now: () => Date; reworkLabels?: readonly string[] },
  query: AiImpactQuery,
): Promise<AiImpact> {
  const { store, workspace } = deps;
  const from = bound('from', query.from);
  const to = bound('to', query.to);
  if (to <= from) throw new TeamStateError('invalid_argument', `to: must be after from (got ${query.from} .. ${query.to})`);
  const minSample = whole('minSample', query.minSample, 10, 2);
  const resamples = whole('resamples', query.resamples, 2_000, 100);
  const seed = whole('seed', query.seed, 1, 0);
  // An unknown team is a mistake to report (with the closest team), never a table of zeros that reads as no AI use.
  await checkKnown((text, values) => store.execute(text, values), workspace, 'team', query.team);
  const rework = JSON.stringify((deps.reworkLabels ?? ['hotfix', 'revert', 'incident']).map((label) => label.toLowerCase()));
  const args: (string | number)[] = [workspace, from, to];
  let scope = '';
  if (query.team !== undefined) {
    scope +=
      ' AND (w.team_id = ? OR w.repository_id IN (SELECT r.id FROM repositories r WHERE r.workspace = w.workspace AND r.team_id = ?))';
    args.push(query.team, query.team);
  }
  if (query.repository !== undefined) {
    scope += ' AND w.repository_id = ?';
    args.push(query.repository);
  }
  const { rows } = await store.execute(
    `SELECT w.merged_at, w.created_at, w.first_commit_at, w.ready_at, w.additions, w.deletions, w.ai_assisted,
            json_extract(w.ai, '$.tools') AS tools,
            (SELECT min(r.submitted_at) FROM reviews r WHERE r.workspace = w.workspace AND r.work_item_id = w.id
               AND r.reviewer_id IS NOT w.author_id) AS first_review_at,
            (SELECT count(*) FROM reviews r WHERE r.workspace = w.workspace AND r.work_item_id = w.id
               AND r.state = 'changes_requested') AS changes_requested,
            EXISTS (SELECT 1 FROM work_items f
               WHERE f.workspace = w.workspace AND f.kind = 'pull_request' AND f.repository_id = w.repository_id AND f.id <> w.id
                 AND f.merged_at > w.merged_at AND f.merged_at <= w.merged_at + ${REWORK_WINDOW}
                 AND (f.title = 'Revert "' || w.title || '"'
                      OR instr(coalesce(f.body, ''), 'Reverts ' || w.key) > 0
                      OR ((coalesce(f.title, '') || ' ' || coalesce(f.body, '') || ' ') GLOB '*#' || substr(w.key, instr(w.key, '#') + 1) || '[^0-9]*'
                          AND EXISTS (SELECT 1 FROM json_each(CASE WHEN json_valid(f.labels) THEN f.labels ELSE '[]' END) l
                                      WHERE lower(l.value) IN (SELECT value FROM json_each(?)))))) AS reworked
     FROM work_items w
     WHERE w.workspace = ? AND w.kind = 'pull_request' AND w.merged_at >= ? AND w.merged_at < ?${scope}
     ORDER BY w.merged_at`,
    // The rework labels are the first placeholder (in the select list), then the window and scope.
    [rework, ...args],
  );
  const prs = mergedPullRequest.all(rows).map(
    (row): Measured => ({
      assisted: row.ai_assisted === 1,
      tools: row.tools ? (JSON.parse(row.tools) as string[]) : [],
      mergedAt: row.merged_at,
      cycle: (row.merged_at - (row.first_commit_at ?? row.created_at)) / HOUR,
      firstReview: row.first_review_at === null ? null : (row.first_review_at - (row.ready_at ?? row.created_at)) / HOUR,
      rounds: row.changes_requested,
      size: row.additions === null && row.deletions === null ? null : (row.additions ?? 0) + (row.deletions ?? 0),
      reworked: row.reworked,
    }),
  );
  const assisted = prs.filter((pr) => pr.assisted);
  const other = prs.filter((pr) => !pr.assisted);
  const enough = assisted.length >= minSample && other.length >= minSample;
  const random = mulberry32(seed);
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
  const comparison = {
    cycleTimeHours: compare((pr) => pr.cycle, 'median'),
    timeToFirstReviewHours: compare((pr) => pr.firstReview, 'median'),
    reviewRounds: compare((pr) => pr.rounds, 'mean'),
    sizeLines: compare((pr) => pr.size, 'median'),
    reworkedShare: compare((pr) => (pr.reworked ? 1 : 0), 'mean'),
  };
  const toolNames = [...new Set(assisted.flatMap((pr) => pr.tools))];
  const tools = toolNames
    .map((tool) => {
      const group = assisted.filter((pr) => pr.tools.includes(tool));
      return { tool, n: group.length, cycleTimeHoursP50: median(values(group, (pr) => pr.cycle)) };
    })
    .sort((x, y) => y.n - x.n || x.tool.localeCompare(y.tool));
  const reviews = await reviewerAnswers(store, scope, args);
  const { rules } = await feedbackEffect(deps, query.repository !== undefined ? { repository: query.repository } : {});
  // Usage is reported per UTC day: the days the window touches.
  const lastDay = formatTimestamp(to).slice(0, 10);
  const usage = await summarizeAiUsage(createStoreReader(store, workspace), {
    from: formatTimestamp(from).slice(0, 10),
    to: to % DAY === 0 ? lastDay : addDays(lastDay, 1),
    ...(query.team !== undefined ? { team: query.team } : {}),
  });
  return {
    from: formatTimestamp(from),
    to: formatTimestamp(to),
    ...(query.team !== undefined ? { team: query.team } : {}),
    ...(query.repository !== undefined ? { repository: query.repository } : {}),
    assisted: cohort(assisted),
    other: cohort(other),
    comparison,
    verdict: verdict(assisted.length, other.length, minSample, comparison),
    minSample,
    weekly: weekly(prs, from, to),
    tools,
    reviews,
    usage: usage.tools,
    rules,
  };
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
  const phrase = (name: string, unit: string, d: AiDifference) => {
    if (d.direction === 'not enough data') return `${name}: not enough data`;
    if (d.direction === 'no clear difference')
      return `${name}: no clear difference (${signed(d.difference!)} ${unit}, 95% interval ${signed(d.interval![0])} to ${signed(d.interval![1])})`;
    return `${name}: ${d.direction} for AI-assisted PRs by ${round(Math.abs(d.difference!))} ${unit} (95% interval ${signed(d.interval![0])} to ${signed(d.interval![1])})`;
  };
  return [
    `${assisted} AI-assisted vs ${other} other merged pull requests.`,
    `${phrase('Cycle time p50', 'h', comparison.cycleTimeHours)};`,
    `${phrase('time to first review p50', 'h', comparison.timeToFirstReviewHours)};`,
    `${phrase('review rounds (mean)', 'rounds', comparison.reviewRounds)};`,
    `${phrase('size p50', 'lines', comparison.sizeLines)};`,
    `${phrase('share reverted or reworked within 21 days', '', comparison.reworkedShare)}.`,
  ].join(' ');
}

function weekly(prs: readonly Measured[], from: number, to: number): AiAdoptionWeek[] {
  const weeks: AiAdoptionWeek[] = [];
  // Weeks start on Monday 00:00 UTC (1970-01-05 was a Monday).
  const monday = Date.UTC(1970, 0, 5);
  let start = from;
  while (start < to) {
    const next = Math.min(to, monday + (Math.floor((start - monday) / WEEK) + 1) * WEEK);
    const inWeek = prs.filter((pr) => pr.mergedAt >= start && pr.mergedAt < next);
    const assisted = inWeek.filter((pr) => pr.assisted).length;
    weeks.push({
      from: formatTimestamp(start),
      to: formatTimestamp(next),
      merged: inWeek.length,
      assisted,
      share: inWeek.length === 0 ? null : assisted / inWeek.length,
    });
    start = next;
  }
  return weeks;
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

/**
 * The median of a resample (with replacement) of ascending `sorted`, without sorting it: how often each index was drawn,
 * then the order statistics the interpolated median needs, walking those counts. O(n) per resample.
 */
export function resampledMedian(sorted: readonly number[], counts: Uint32Array, random: () => number): number {
  const n = sorted.length;
  counts.fill(0);
  for (let i = 0; i < n; i++) counts[Math.floor(random() * n)]! += 1;
  const position = 0.5 * (n - 1);
  const lowerRank = Math.floor(position);
  let seen = 0;
  let lower: number | undefined;
  for (let index = 0; index < n; index++) {
    seen += counts[index]!;
    if (lower === undefined && seen > lowerRank) lower = sorted[index]!;
    if (seen > lowerRank + 1 || (seen > lowerRank && lowerRank + 1 >= n))
      return lower! + (sorted[index]! - lower!) * (position - lowerRank);
  }
  return lower!;
}

function resampledMean(list: readonly number[], _counts: Uint32Array, random: () => number): number {
  let sum = 0;
  for (let i = 0; i < list.length; i++) sum += list[Math.floor(random() * list.length)]!;
  return sum / list.length;
}

/** A small seeded PRNG (mulberry32): reproducible bootstrap intervals. */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

const round = (value: number) => Math.round(value * 100) / 100;
const signed = (value: number) => `${value > 0 ? '+' : ''}${round(value)}`;

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

/** Reviewers' survey answers about the window's merged PRs (same scope): quality per group, guesses against the author's answer. */
async function reviewerAnswers(store: Store, scope: string, args: readonly (string | number)[]): Promise<AiImpact['reviews']> {
  const { rows } = await store.execute(
    `SELECT w.ai_assisted, r.quality, r.guess,
            (SELECT a.assisted FROM survey_responses a WHERE a.workspace = w.workspace AND a.pull_request_id = w.id AND a.role = 'author') AS author_said
     FROM survey_responses r JOIN work_items w ON w.workspace = r.workspace AND w.id = r.pull_request_id
     WHERE w.workspace = ? AND r.role = 'reviewer' AND w.kind = 'pull_request' AND w.merged_at >= ? AND w.merged_at < ?${scope}`,
    [...args],
  );
  const answers = reviewerAnswer.all(rows);
  const ratings = (assisted: boolean) =>
    answers.flatMap((a) => (a.quality !== null && (a.ai_assisted === 1) === assisted ? [a.quality] : []));
  const meanOf = (list: number[]) => (list.length === 0 ? null : Math.round((list.reduce((x, y) => x + y, 0) / list.length) * 100) / 100);
  const [withAi, without] = [ratings(true), ratings(false)];
  const guessed = answers.filter((a) => a.guess !== null && a.author_said !== null);
  const correct = guessed.filter((a) => (a.guess === 1) === (a.author_said !== 'none')).length;
  return {
    quality: { assisted: meanOf(withAi), assistedRatings: withAi.length, other: meanOf(without), otherRatings: without.length },
    guesses: {
      correct,
      total: guessed.length,
      accuracy: guessed.length === 0 ? null : Math.round((correct / guessed.length) * 10_000) / 10_000,
    },
  };
}
