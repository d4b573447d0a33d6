import type { SignalDetector } from '@teamstate/core';
import { columns, sql } from '@teamstate/core/store';
import { blobText, jsonArrayOf, lowestSetting, num } from './sql.js';
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
    const [lowest, [handed]] = await Promise.all([
      lowestSetting(db, ctx, 'limit'),
      // Each branch through an index, items first (CROSS JOIN keeps that order). A reviewer's latest review of an open
      // PR is the row with the max seq of its group (SQLite takes the bare columns from it): no subquery per review; the
      // reviews from those the store keeps of open PRs alone (open_pr_reviews, derived on write).
      // Every row is handed over as it is (UNION ALL: repeats are dropped below), as three JSON arrays side by side
      // (the people, the keys, 1 for a pending review): counted per person here, not in SQL, where the GROUP BY that
      // kept only the people above the lowest limit sorted every row (at 10,000 engineers 53,000 of them, a third of
      // the query's time), and the rows kept were sorted here again.
      db.all(
        columns({ people: blobText, keys: blobText, reviews: blobText }),
        sql`WITH open_prs AS MATERIALIZED (
            SELECT id, key, author_id FROM work_items
            WHERE workspace = ${w} AND kind = 'pull_request' AND state = 'open' AND COALESCE(draft, 0) = 0
          )
          SELECT CAST(json_group_array(person) AS BLOB) AS people, CAST(json_group_array(key) AS BLOB) AS keys,
            CAST(json_group_array(review) AS BLOB) AS reviews FROM (
          SELECT a.person_id AS person, i.key, 0 AS review FROM work_items i
            CROSS JOIN work_item_assignees a ON a.workspace = i.workspace AND a.work_item_id = i.id
            WHERE i.workspace = ${w} AND i.status_category = 'in_progress' AND i.kind NOT IN ('pull_request', 'epic')
          UNION ALL
          SELECT author_id, key, 0 FROM open_prs WHERE author_id IS NOT NULL
          UNION ALL
          SELECT person, key, 1 FROM (
            SELECT rv.reviewer_id AS person, o.key, rv.state, max(rv.seq) FROM open_prs o
              CROSS JOIN open_pr_reviews rv ON rv.workspace = ${w} AND rv.work_item_id = o.id
              WHERE o.author_id IS NOT rv.reviewer_id
              GROUP BY rv.work_item_id, rv.reviewer_id
          ) WHERE state IN ('commented', 'changes_requested'))`,
      ),
    ]);
    const persons = jsonArrayOf<string>(handed?.people);
    const keys = jsonArrayOf<string>(handed?.keys);
    const reviewed = jsonArrayOf<number>(handed?.reviews);
    const all = new Map<string, { items: Set<string>; reviews: Set<string> }>();
    for (let i = 0; i < persons.length; i++) {
      const person = persons[i]!;
      let entry = all.get(person);
      if (entry === undefined) {
        entry = { items: new Set<string>(), reviews: new Set<string>() };
        all.set(person, entry);
      }
      (reviewed[i] === 1 ? entry.reviews : entry.items).add(keys[i]!);
    }
    // Only the people above the lowest limit of any team, by id; each is compared with their own team's limit below.
    const load = [...all]
      .filter(([, entry]) => lowest === null || entry.items.size + entry.reviews.size > lowest)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    const people = await wellbeingPeople(
      db,
      ctx,
      load.map(([id]) => id),
    );
    return load.flatMap(([id, entry]) => {
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
