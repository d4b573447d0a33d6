import type { SignalDetector } from '@teamstate/core';
import { sql } from '@teamstate/core/store';
import { allPacked, byColumns, lowestSetting, num } from './sql.js';
import { WELLBEING_NOTE, wellbeingPeople } from './wellbeing.js';

/** Someone carrying a lot at once: their own work in progress plus the reviews waiting on them. */
export const personOverloaded: SignalDetector = {
  specificationVersion: 'v1',
  kind: 'person.overloaded',
  title: 'May be stretched thin',
  description: `A person’s work in progress (issues assigned to them in an in-progress status, open non-draft pull requests they wrote) plus their pending reviews (open non-draft pull requests of others they reviewed without approving yet: their latest review commented or requested changes) is above \`limit\`. ${WELLBEING_NOTE}`,
  defaults: { limit: 8 },
  wellbeing: true,
  incremental: { reads: ['people', 'memberships', 'work_items', 'work_item_assignees', 'reviews'], drivenBy: 'data' },
  async detect(db, ctx) {
    const w = ctx.workspace;
    const lowest = await lowestSetting(db, ctx, 'limit');
    const rows = await allPacked<[person: string, key: string, what: 'item' | 'review']>(
      db,
      // Each branch through an index, items first (CROSS JOIN keeps that order). A reviewer's latest review of an open
      // PR is the row with the max seq of its group (SQLite takes the bare columns from it): no subquery per review.
      // The branches are counted per person as they are (UNION ALL: no set of every row to drop repeats, a count at
      // least the exact one), and only the rows of people above the lowest limit of any team are handed over, as one
      // JSON text; repeats are dropped and each is compared with their own team's limit below.
      sql`WITH open_prs AS MATERIALIZED (
            SELECT id, key, author_id FROM work_items
            WHERE workspace = ${w} AND kind = 'pull_request' AND state = 'open' AND COALESCE(draft, 0) = 0
          ), load AS MATERIALIZED (
          SELECT a.person_id AS person, i.key, 'item' AS what FROM work_items i
            CROSS JOIN work_item_assignees a ON a.workspace = i.workspace AND a.work_item_id = i.id
            WHERE i.workspace = ${w} AND i.status_category = 'in_progress' AND i.kind NOT IN ('pull_request', 'epic')
          UNION ALL
          SELECT author_id, key, 'item' FROM open_prs WHERE author_id IS NOT NULL
          UNION ALL
          SELECT person, key, 'review' FROM (
            SELECT rv.reviewer_id AS person, o.key, rv.state, max(rv.seq) FROM open_prs o
              CROSS JOIN reviews rv ON rv.workspace = ${w} AND rv.work_item_id = o.id
              WHERE o.author_id IS NOT rv.reviewer_id
              GROUP BY rv.work_item_id, rv.reviewer_id
          ) WHERE state IN ('commented', 'changes_requested'))
          SELECT json_group_array(json_array(person, key, what)) AS packed FROM load
          WHERE person IN (SELECT person FROM load GROUP BY person HAVING ${lowest} IS NULL OR count(*) > ${lowest})`,
    );
    const load = new Map<string, { items: Set<string>; reviews: Set<string> }>();
    for (const [person, key, what] of rows.sort(byColumns(0, 1, 2))) {
      const entry = load.get(person) ?? { items: new Set<string>(), reviews: new Set<string>() };
      (what === 'item' ? entry.items : entry.reviews).add(key);
      load.set(person, entry);
    }
    const people = await wellbeingPeople(db, ctx, [...load.keys()]);
    return [...load].flatMap(([id, entry]) => {
      const person = people.get(id);
      const [items, reviews] = [[...entry.items], [...entry.reviews]];
      if (!person) return [];
      const team = person.team ?? undefined;
      const limit = num(ctx.settings(team).limit);
      if (items.length + reviews.length <= limit) return [];
      return [
        {
          severity: 'info' as const,
          subject: { type: 'person' as const, id },
          team,
          title: `${person.name} may be stretched thin: ${items.length} item${items.length === 1 ? '' : 's'} in progress and ${reviews.length} review${reviews.length === 1 ? '' : 's'} pending (limit ${limit} together)`,
          evidence: {
            person: id,
            inProgress: items.length,
            pendingReviews: reviews.length,
            limit,
            items: items.sort(),
            reviews: reviews.sort(),
          },
        },
      ];
    });
  },
};
