import { type SignalDetector, workingHoursBetween } from '@teamstate/core';
import { columns, integer, nullable, sql, text } from '@teamstate/core/store';
import { ITEM_TEAM, num, pullRequestColumns, workingDays } from './sql.js';

/** Open PRs whose latest review asked for changes and that have not moved since, for `hours` working hours. */
export const prChangesRequestedIdle: SignalDetector = {
  specificationVersion: 'v1',
  kind: 'pr.changes_requested_idle',
  title: 'Changes requested, no follow-up',
  description:
    'An open pull request whose latest review by someone other than the author requested changes, with no update to the PR after that review, for more than `hours` working hours.',
  defaults: { hours: 24 },
  incremental: { reads: ['work_items', 'reviews', 'repositories'], drivenBy: 'time' },
  async detect(db, ctx) {
    const found = await db.all(
      columns({ ...pullRequestColumns, updated_at: nullable(integer), reviewer_id: text, submitted_at: integer }),
      // Each open PR's latest review by someone else is its row with the max seq (SQLite takes the bare columns from
      // it), read with its state from the reviews the store keeps of open PRs alone (open_pr_reviews, derived on write).
      sql`SELECT id, key, title, author_id, updated_at, team, reviewer_id, submitted_at FROM (
         SELECT w.id, w.key, w.title, w.author_id, w.updated_at, ${ITEM_TEAM} AS team, v.reviewer_id, v.submitted_at, v.state, max(v.seq)
         FROM work_items w CROSS JOIN open_pr_reviews v ON v.workspace = w.workspace AND v.work_item_id = w.id AND v.reviewer_id IS NOT w.author_id
         WHERE w.workspace = ${ctx.workspace} AND w.kind = 'pull_request' AND w.state = 'open'
         GROUP BY w.id)
       WHERE state = 'changes_requested' AND COALESCE(updated_at, 0) <= submitted_at + 60000`,
    );
    return found.flatMap((r) => {
      const team = r.team ?? undefined;
      const idle = workingHoursBetween(r.submitted_at, ctx.now.getTime(), ctx.workingHours);
      if (idle <= num(ctx.settings(team).hours)) return [];
      return [
        {
          severity: 'warning',
          subject: { type: 'work_item', id: r.id },
          team,
          title: `${r.key}: changes requested ${workingDays(idle)} ago, no update since`,
          evidence: {
            key: r.key,
            title: r.title,
            author: r.author_id,
            reviewer: r.reviewer_id,
            requestedAt: new Date(r.submitted_at).toISOString(),
            // When the condition began: what the CLI shows as "Since".
            since: new Date(r.submitted_at).toISOString(),
            workingHoursIdle: Math.round(idle * 10) / 10,
          },
        },
      ];
    });
  },
};
