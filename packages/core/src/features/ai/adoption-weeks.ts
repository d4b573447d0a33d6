import { formatTimestamp } from '../../kernel/model/timestamp.js';
import { weeklyBuckets, weekStart } from '../../kernel/text/format-values.js';
import type { Measured } from './ai-impact-reads.js';

/** Merged PRs of one week (Monday 00:00 UTC; the first and last clipped to the window, and then `partial`). */
export interface AiAdoptionWeek {
  /** The Monday 00:00 UTC the week starts on, even when the window cuts it. */
  week: string;
  from: string;
  to: string;
  /** True when the window cuts the week (the first and last may be). */
  partial: boolean;
  merged: number;
  assisted: number;
  /** `assisted ÷ merged`, `null` without merges. */
  share: number | null;
}

/** The window's merged pull requests per week, and how many of them were AI-assisted. */
export function weeklyAdoption(prs: readonly Measured[], from: number, to: number): AiAdoptionWeek[] {
  return weeklyBuckets(from, to).map((bucket) => {
    const inWeek = prs.filter((pr) => pr.mergedAt >= bucket.from && pr.mergedAt < bucket.to);
    const assisted = inWeek.filter((pr) => pr.assisted).length;
    return {
      week: formatTimestamp(weekStart(bucket.from)),
      from: formatTimestamp(bucket.from),
      to: formatTimestamp(bucket.to),
      partial: bucket.partial,
      merged: inWeek.length,
      assisted,
      share: inWeek.length === 0 ? null : assisted / inWeek.length,
    };
  });
}
