import type { SignalDetector } from '@teamstate/core';
import { integer, sql } from '@teamstate/core/store';
import { allRows, humanDuration, ITEM_TEAM, num, pullRequestColumns } from './sql.js';

const DAY = 86_400_000;

/** Open PRs with no activity (update, review) for more than `days` days. */
export const prStale: SignalDetector = {
  specificationVersion: 'v1',
  kind: 'pr.stale',
  title: 'Stale PR',
  description: 'An open pull request with no activity (its last update or review) for more than `days` calendar days.',
  defaults: { days: 7 },
  incremental: { reads: ['work_items', 'reviews', 'repositories'], drivenBy: 'time' },
  async detect(db, ctx) {
    // The open PRs from their partial index; each one's latest review from the reviews the store keeps of open PRs
    // alone (open_pr_reviews, derived on write), not from every review of the organisation.
    const found = await allRows(
      db,
      { ...pullRequestColumns, last_activity: integer },
      sql`SELECT w.id, w.key, w.title, w.author_id, ${ITEM_TEAM} AS team,
         max(COALESCE(w.updated_at, w.created_at), w.created_at, COALESCE((SELECT max(v.submitted_at) FROM open_pr_reviews v WHERE v.workspace = w.workspace AND v.work_item_id = w.id), 0)) AS last_activity
       FROM work_items w WHERE w.workspace = ${ctx.workspace} AND w.kind = 'pull_request' AND w.state = 'open'`,
    );
    const now = ctx.now.getTime();
    return found.flatMap((r) => {
      const team = r.team ?? undefined;
      const idle = now - r.last_activity;
      if (idle <= num(ctx.settings(team).days) * DAY) return [];
      return [
        {
          severity: 'warning',
          subject: { type: 'work_item', id: r.id },
          team,
          title: `${r.key} has had no activity for ${humanDuration(idle)}`,
          evidence: {
            key: r.key,
            title: r.title,
            author: r.author_id,
            lastActivityAt: new Date(r.last_activity).toISOString(),
            // When the condition began: what the CLI shows as "Since".
            since: new Date(r.last_activity).toISOString(),
            idleDays: Math.round((idle / DAY) * 10) / 10,
          },
        },
      ];
    });
  },
};
