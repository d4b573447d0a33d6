import type { SignalDetector } from '@teamstate/core';
import { columns, sql } from '@teamstate/core/store';
import { allPacked, blobText, byColumns, jsonArrayOf, lowestSetting, num } from './sql.js';

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
    // Items first (CROSS JOIN keeps that order): the in-progress issues through the status index, then their assignees
    // by item; then the open PRs' authors. Every (person, key) pair handed over, as two JSON arrays filled row by row
    // (cheaper to read than an array of pairs), and counted here with repeats dropped: counting them in SQL meant a
    // sort of all of them, and a set of them to drop repeats.
    // Read side by side with the pairs (it needs nothing from them): the lowest limit of any team, or of no team.
    const [lowest, [pairs]] = await Promise.all([
      lowestSetting(db, ctx, 'limit'),
      db.all(
        columns({ people: blobText, keys: blobText }),
        sql`SELECT CAST(json_group_array(person_id) AS BLOB) AS people, CAST(json_group_array(key) AS BLOB) AS keys FROM (
         SELECT a.person_id, w.key FROM work_items w CROSS JOIN work_item_assignees a ON a.workspace = w.workspace AND a.work_item_id = w.id
         WHERE w.workspace = ${ctx.workspace} AND w.status_category = 'in_progress' AND w.kind NOT IN ('pull_request', 'epic')
         UNION ALL
         SELECT w.author_id, w.key FROM work_items w WHERE w.workspace = ${ctx.workspace} AND w.kind = 'pull_request' AND w.state = 'open' AND COALESCE(w.draft, 0) = 0 AND w.author_id IS NOT NULL)`,
      ),
    ]);
    const persons = jsonArrayOf<string>(pairs?.people);
    const itemKeys = jsonArrayOf<string>(pairs?.keys);
    const keys = new Map<string, Set<string>>();
    for (let i = 0; i < persons.length; i++) {
      const person = persons[i]!;
      const set = keys.get(person) ?? new Set<string>();
      keys.set(person, set.add(itemKeys[i]!));
    }
    // Only people over the lowest limit of any team (or of no team) can be over their own: only they are looked up
    // (name, first team) by key; the exact comparison with their team's limit is below.
    const over = [...keys].flatMap(([person, items]) => (lowest === null || items.size > lowest ? [person] : [])).sort();
    const people = await allPacked<[person_id: string, name: string, team: string | null]>(
      db,
      sql`SELECT json_group_array(json_array(p.id, p.name,
           (SELECT min(m.team_id) FROM memberships m WHERE m.workspace = p.workspace AND m.person_id = p.id))) AS packed
         FROM json_each(${JSON.stringify(over)}) o CROSS JOIN people p ON p.workspace = ${ctx.workspace} AND p.id = o.value`,
    );
    const found = people.sort(byColumns(0)).map(([person_id, name, team]) => {
      const items = [...keys.get(person_id)!];
      return { person_id, name, team, n: items.length, keys: items };
    });
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
          evidence: { person: r.person_id, count: n, limit, items: r.keys.sort() },
        },
      ];
    });
  },
};
