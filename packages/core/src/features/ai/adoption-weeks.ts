import { formatTimestamp } from '../../kernel/model/timestamp.js';
import type { Measured } from './ai-impact-reads.js';

const WEEK = 7 * 24 * 3_600_000;

/** Merged PRs of one week (Monday 00:00 UTC; the first and last clipped to the window). */
export interface AiAdoptionWeek {
  from: string;
  to: string;
  merged: number;
  assisted: number;
  /** `assisted ÷ merged`, `null` without merges. */
  share: number | null;
}

/** The window's merged pull requests per week, and how many of them were AI-assisted. */
export function weeklyAdoption(prs: readonly Measured[], from: number, to: number): AiAdoptionWeek[] {
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
