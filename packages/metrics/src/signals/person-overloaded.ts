import type { SignalDetector } from '@teamstate/core';
import { sql } from '@teamstate/core/store';
import { num } from './sql.js';
import { WELLBEING_NOTE, wellbeingPeople } from './wellbeing.js';

/** Someone carrying a lot at once: their own work in progress plus the reviews waiting on them. */
export const personOverloaded: SignalDetector = {
  specificationVersion: 'v1',
  kind: 'person.overloaded',
  title: 'May be stretched thin',
  description: `A person’s work in progress (issues assigned to them in an in-progress status, open non-draft pull requests they wrote) plus their pending reviews (open non-draft pull requests of others they reviewed without approving yet: their latest review commented or requested changes) is above \`limit\`. ${WELLBEING_NOTE}`,
  defaults: { limit: 8 },
  wellbeing: true,
  async detect(db, ctx) {
    const people = await wellbeingPeople(db, ctx);
    const w = ctx.workspace;
    const rows = await db.all<{ person: string; key: string; what: 'item' | 'review' }>(
      sql`SELECT a.person_id AS person, i.key, 'item' AS what FROM work_items i
            JOIN work_item_assignees a ON a.workspace = i.workspace AND a.work_item_id = i.id
            WHERE i.workspace = ${w} AND i.kind NOT IN ('pull_request', 'epic') AND i.status_category = 'in_progress'
          UNION
          SELECT i.author_id, i.key, 'item' FROM work_items i
            WHERE i.workspace = ${w} AND i.kind = 'pull_request' AND i.state = 'open' AND COALESCE(i.draft, 0) = 0 AND i.author_id IS NOT NULL
          UNION
          SELECT rv.reviewer_id, i.key, 'review' FROM reviews rv JOIN work_items i ON i.workspace = rv.workspace AND i.id = rv.work_item_id
            WHERE rv.workspace = ${w} AND i.kind = 'pull_request' AND i.state = 'open' AND COALESCE(i.draft, 0) = 0
              AND i.author_id IS NOT rv.reviewer_id AND rv.state IN ('commented', 'changes_requested')
              AND rv.seq = (SELECT max(r2.seq) FROM reviews r2 WHERE r2.workspace = rv.workspace AND r2.work_item_id = rv.work_item_id AND r2.reviewer_id = rv.reviewer_id)`,
    );
    const load = new Map<string, { items: string[]; reviews: string[] }>();
    for (const row of rows) {
      const entry = load.get(row.person) ?? { items: [], reviews: [] };
      (row.what === 'item' ? entry.items : entry.reviews).push(row.key);
      load.set(row.person, entry);
    }
    return [...load].flatMap(([id, { items, reviews }]) => {
      const person = people.get(id);
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
