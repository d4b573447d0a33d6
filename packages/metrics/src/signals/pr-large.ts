import type { SignalDetector } from '@teamstate/core';
import { ITEM_TEAM, num, rows } from './sql.js';

/** Open PRs changing more than `lines` lines: slow to review, risky to merge. */
export const prLarge: SignalDetector = {
  specificationVersion: 'v1',
  kind: 'pr.large',
  title: 'Large PR',
  description: 'An open pull request whose additions + deletions exceed `lines` (warning above 2.5 × `lines`).',
  defaults: { lines: 400 },
  async detect(store, ctx) {
    const found = await rows(
      store,
      ctx.workspace,
      `SELECT w.id, w.key, w.title, w.author_id, COALESCE(w.additions, 0) AS additions, COALESCE(w.deletions, 0) AS deletions, ${ITEM_TEAM} AS team
       FROM work_items w WHERE w.workspace = ? AND w.kind = 'pull_request' AND w.state = 'open' AND w.additions IS NOT NULL`,
    );
    return found.flatMap((r) => {
      const team = r.team === null ? undefined : String(r.team);
      const lines = Number(r.additions) + Number(r.deletions);
      const threshold = num(ctx.settings(team).lines);
      if (lines <= threshold) return [];
      return [
        {
          severity: lines > 2.5 * threshold ? 'warning' : 'info',
          subject: { type: 'work_item', id: String(r.id) },
          team,
          title: `${r.key} changes ${lines} lines (+${r.additions} −${r.deletions}); consider splitting it`,
          evidence: {
            key: String(r.key),
            title: String(r.title),
            author: r.author_id,
            additions: Number(r.additions),
            deletions: Number(r.deletions),
            thresholdLines: threshold,
          },
        },
      ];
    });
  },
};
