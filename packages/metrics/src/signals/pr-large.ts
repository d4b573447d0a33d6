import type { SignalDetector } from '@teamstate/core';
import { integer, sql } from '@teamstate/core/store';
import { allRows, ITEM_TEAM, num, pullRequestColumns } from './sql.js';

/** Open PRs changing more than `lines` lines: slow to review, risky to merge. */
export const prLarge: SignalDetector = {
  specificationVersion: 'v1',
  kind: 'pr.large',
  title: 'Large PR',
  description: 'An open pull request whose additions + deletions exceed `lines` (warning above 2.5 × `lines`).',
  defaults: { lines: 400 },
  incremental: { reads: ['work_items', 'repositories'], drivenBy: 'data' },
  async detect(db, ctx) {
    const found = await allRows(
      db,
      { ...pullRequestColumns, additions: integer, deletions: integer },
      sql`SELECT w.id, w.key, w.title, w.author_id, COALESCE(w.additions, 0) AS additions, COALESCE(w.deletions, 0) AS deletions, ${ITEM_TEAM} AS team
       FROM work_items w WHERE w.workspace = ${ctx.workspace} AND w.kind = 'pull_request' AND w.state = 'open' AND w.additions IS NOT NULL`,
    );
    return found.flatMap((r) => {
      const team = r.team ?? undefined;
      const lines = r.additions + r.deletions;
      const threshold = num(ctx.settings(team).lines);
      if (lines <= threshold) return [];
      return [
        {
          severity: lines > 2.5 * threshold ? 'warning' : 'info',
          subject: { type: 'work_item', id: r.id },
          team,
          title: `${r.key} changes ${lines} lines (+${r.additions} −${r.deletions}); consider splitting it`,
          evidence: {
            key: r.key,
            title: r.title,
            author: r.author_id,
            additions: r.additions,
            deletions: r.deletions,
            thresholdLines: threshold,
          },
        },
      ];
    });
  },
};
