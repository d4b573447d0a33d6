import { type SignalDetector, workingHoursBetween } from '@teamstate/core';
import { integer, sql } from '@teamstate/core/store';
import { allRows, ITEM_TEAM, num, pullRequestColumns, workingDays } from './sql.js';

/** Open, ready PRs that nobody but the author has reviewed for more than `hours` working hours. */
export const prAwaitingReview: SignalDetector = {
  specificationVersion: 'v1',
  kind: 'pr.awaiting_review',
  title: 'PR waiting for review',
  description:
    'An open, non-draft pull request with no review by anyone but its author for more than `hours` working hours since it was ready (opened, or marked ready).',
  defaults: { hours: 24 },
  incremental: { reads: ['work_items', 'reviews', 'repositories'], drivenBy: 'time' },
  async detect(db, ctx) {
    // The open PRs from their partial index; whether someone else reviewed one, from the reviews the store keeps of
    // open PRs alone (open_pr_reviews, derived on write), not from every review of the organisation.
    const found = await allRows(
      db,
      { ...pullRequestColumns, ready: integer },
      sql`SELECT w.id, w.key, w.title, w.author_id, COALESCE(w.ready_at, w.created_at) AS ready, ${ITEM_TEAM} AS team
       FROM work_items w WHERE w.workspace = ${ctx.workspace} AND w.kind = 'pull_request' AND w.state = 'open' AND COALESCE(w.draft, 0) = 0
       AND NOT EXISTS (SELECT 1 FROM open_pr_reviews v WHERE v.workspace = w.workspace AND v.work_item_id = w.id AND v.reviewer_id IS NOT w.author_id)`,
    );
    return found.flatMap((r) => {
      const team = r.team ?? undefined;
      const threshold = num(ctx.settings(team).hours);
      const waited = workingHoursBetween(r.ready, ctx.now.getTime(), ctx.workingHours);
      if (waited <= threshold) return [];
      return [
        {
          severity: waited > 2 * threshold ? 'critical' : 'warning',
          subject: { type: 'work_item', id: r.id },
          team,
          title: `${r.key} has waited ${workingDays(waited)} for a first review`,
          evidence: {
            key: r.key,
            title: r.title,
            author: r.author_id,
            readyAt: new Date(r.ready).toISOString(),
            // When the condition began: what the CLI shows as "Since".
            since: new Date(r.ready).toISOString(),
            workingHoursWaiting: Math.round(waited * 10) / 10,
            thresholdWorkingHours: threshold,
          },
        },
      ];
    });
  },
};
