import type { SignalDetector } from '@teamstate/core';
import { columns, sql, text } from '@teamstate/core/store';
import { allPacked, itemTeam, num } from './sql.js';

const DAY = 86_400_000;

/** One reviewer doing most of a team's reviews. */
export const reviewLoadImbalance: SignalDetector = {
  specificationVersion: 'v1',
  kind: 'review.load_imbalance',
  title: 'Review load imbalance',
  description:
    'One person submitted more than `share` of a team’s reviews of pull requests in the last `days` days (at least `minReviews` reviews by at least two reviewers): the review queue depends on them.',
  defaults: { share: 0.4, minReviews: 10, days: 14 },
  incremental: { reads: ['reviews', 'work_items', 'people', 'repositories', 'teams'], drivenBy: 'time' },
  async detect(db, ctx) {
    const now = ctx.now.getTime();
    // The window's reviews of someone else's item (one range of reviews_submitted_idx, each review's item by key for
    // its author, team and repository), counted per team, repository and reviewer; an item without a team of its own is
    // its repository's, looked up once per repository and reviewer; a reviewer without a person row is left out, as a
    // join to people does. Handed over as one JSON text.
    const counts = (days: number) =>
      allPacked<[string | null, string, string, number]>(
        db,
        sql`WITH v AS MATERIALIZED (SELECT i.workspace, i.team_id, i.repository_id, r.reviewer_id AS person_id, count(*) AS n
             FROM reviews r INDEXED BY reviews_submitted_idx CROSS JOIN work_items i ON i.workspace = r.workspace AND i.id = r.work_item_id
             WHERE r.workspace = ${ctx.workspace} AND r.submitted_at >= ${now - days * DAY} AND r.submitted_at < ${now}
               AND r.reviewer_id IS NOT i.author_id
             GROUP BY i.team_id, i.repository_id, r.reviewer_id),
           t AS (SELECT ${itemTeam('v')} AS team, v.person_id AS reviewer_id, sum(v.n) AS n FROM v GROUP BY 1, 2)
         SELECT json_group_array(json_array(t.team, t.reviewer_id, p.name, t.n)) AS packed
         FROM t CROSS JOIN people p ON p.workspace = ${ctx.workspace} AND p.id = t.reviewer_id`,
      );
    // Read over the default window, side by side with the teams; read again (side by side) over each other window a
    // team's settings give, and each team's counts taken from its own window.
    const everyone = num(ctx.settings().days);
    const [rows, teams] = await Promise.all([
      counts(everyone),
      db.all(columns({ id: text }), sql`SELECT id FROM teams WHERE workspace = ${ctx.workspace}`),
    ]);
    const daysOf = (team: string) => num(ctx.settings(team).days);
    const others = new Set([...teams.map((t) => t.id), ...rows.flatMap(([team]) => (team === null ? [] : [team]))].map(daysOf));
    others.delete(everyone);
    const windows = new Map([
      [everyone, rows],
      ...(await Promise.all([...others].map(async (days) => [days, await counts(days)] as const))),
    ]);
    const byTeam = new Map<string, { reviewer_id: string; name: string; n: number }[]>();
    for (const [days, found] of windows)
      for (const [team, reviewer_id, name, n] of found)
        if (team !== null && daysOf(team) === days) byTeam.set(team, [...(byTeam.get(team) ?? []), { reviewer_id, name, n }]);
    return [...byTeam].flatMap(([team, reviewers]) => {
      const settings = ctx.settings(team);
      const total = reviewers.reduce((n, r) => n + r.n, 0);
      const top = [...reviewers].sort((a, b) => b.n - a.n || a.reviewer_id.localeCompare(b.reviewer_id))[0]!;
      const share = top.n / total;
      const days = num(settings.days);
      if (reviewers.length < 2 || total < num(settings.minReviews) || share <= num(settings.share)) return [];
      return [
        {
          key: team,
          severity: 'warning',
          subject: { type: 'person', id: top.reviewer_id },
          team,
          title: `${top.name} did ${Math.round(share * 100)}% of ${team}'s reviews in the last ${days} days (${top.n} of ${total})`,
          evidence: {
            reviewer: top.reviewer_id,
            reviews: top.n,
            teamReviews: total,
            share: Math.round(share * 1000) / 1000,
            reviewers: reviewers.length,
          },
        },
      ];
    });
  },
};
