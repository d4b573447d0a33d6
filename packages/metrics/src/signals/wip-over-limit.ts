import type { SignalDetector } from '@teamstate/core';
import { sql } from '@teamstate/core/store';
import { allPacked, num } from './sql.js';

/** People carrying more than `limit` items in progress at once. */
export const wipOverLimit: SignalDetector = {
  specificationVersion: 'v1',
  kind: 'wip.over_limit',
  title: 'Too much work in progress',
  description:
    'A person assigned to more than `limit` items in progress: issues in an in-progress status plus open, non-draft pull requests they authored.',
  defaults: { limit: 5 },
  incremental: { reads: ['work_items', 'work_item_assignees', 'people', 'memberships'], drivenBy: 'data' },
  async detect(db, ctx) {
    // Only people over the lowest limit of any team (or of no team) can be over their own: the rest are not handed
    // over (the exact comparison with their team's limit is below). All rows as one JSON text.
    const teams = await db.all<{ id: string }>(sql`SELECT id FROM teams WHERE workspace = ${ctx.workspace}`);
    const lowest = Math.min(...[undefined, ...teams.map((t) => t.id)].map((team) => num(ctx.settings(team).limit)));
    const rows = await allPacked<[string, string, number, string, string | null]>(
      db,
      // Items first (CROSS JOIN keeps that order): the in-progress issues through the status index, then their
      // assignees by item; counted per person before people and teams are looked up by key.
      sql`WITH wip AS (
         SELECT a.person_id, w.key FROM work_items w CROSS JOIN work_item_assignees a ON a.workspace = w.workspace AND a.work_item_id = w.id
         WHERE w.workspace = ${ctx.workspace} AND w.status_category = 'in_progress' AND w.kind NOT IN ('pull_request', 'epic')
         UNION
         SELECT w.author_id, w.key FROM work_items w WHERE w.workspace = ${ctx.workspace} AND w.kind = 'pull_request' AND w.state = 'open' AND COALESCE(w.draft, 0) = 0 AND w.author_id IS NOT NULL
       ), load AS (SELECT person_id, count(*) AS n, group_concat(key, ', ') AS keys FROM wip GROUP BY person_id)
       SELECT json_group_array(json_array(load.person_id, p.name, load.n, load.keys,
         (SELECT min(m.team_id) FROM memberships m WHERE m.workspace = p.workspace AND m.person_id = p.id))) AS packed
       FROM load CROSS JOIN people p ON p.workspace = ${ctx.workspace} AND p.id = load.person_id
       WHERE ${Number.isNaN(lowest) ? null : lowest} IS NULL OR load.n > ${Number.isNaN(lowest) ? null : lowest}`,
    );
    const found = rows.map(([person_id, name, n, keys, team]) => ({ person_id, name, n, keys, team }));
    return found.flatMap((r) => {
      const team = r.team ?? undefined;
      const limit = num(ctx.settings(team).limit);
      const n = r.n;
      if (n <= limit) return [];
      return [
        {
          severity: n > 2 * limit ? 'critical' : 'warning',
          subject: { type: 'person', id: r.person_id },
          team,
          title: `${r.name} has ${n} items in progress (limit ${limit})`,
          evidence: { person: r.person_id, count: n, limit, items: r.keys.split(', ').sort() },
        },
      ];
    });
  },
};
