import { chainOf, type SignalDetector } from '@teamstate/core';
import { columns, nullable, sql, text } from '@teamstate/core/store';

const linkRow = columns({ from: text, to: text });
const itemRow = columns({ id: text, key: text, status: text, category: nullable(text), owner: nullable(text), team: nullable(text) });

/** Unfinished items blocked (through `blocks` links) by unfinished work, naming the root to start from and its owner. */
export const itemBlockedByDependency: SignalDetector = {
  specificationVersion: 'v1',
  kind: 'item.blocked_by_dependency',
  title: 'Blocked by a dependency',
  description:
    'An item not done that an unfinished item blocks (a `blocks` link from Jira, Linear, GitHub or a bundle), directly or through others: names the root of the chain (an unfinished blocker blocked by nothing unfinished) and its owner. Cycles are walked once.',
  // Its result is a function of the items, their assignees and the `blocks` links; the links have no change counter,
  // so it is time-driven rather than data-driven: a link written at the same now as the last refresh is picked up at
  // the next refresh with a later now.
  incremental: { reads: ['work_items', 'work_item_assignees'], drivenBy: 'time' },
  async detect(db, ctx) {
    const links = await db.all(
      linkRow,
      sql`SELECT l.from_id AS "from", l.to_id AS "to" FROM work_item_links l
       JOIN work_items f ON f.workspace = l.workspace AND f.id = l.from_id
       JOIN work_items t ON t.workspace = l.workspace AND t.id = l.to_id
       WHERE l.workspace = ${ctx.workspace} AND l.kind = 'blocks'
         AND f.status_category IS NOT 'done' AND t.status_category IS NOT 'done'`,
    );
    if (links.length === 0) return [];
    const ids = [...new Set(links.flatMap((l) => [l.from, l.to]))];
    const items = new Map(
      (
        await db.all(
          itemRow,
          sql`SELECT w.id, w.key, w.state AS status, w.status_category AS category, w.team_id AS team,
             COALESCE((SELECT min(a.person_id) FROM work_item_assignees a WHERE a.workspace = w.workspace AND a.work_item_id = w.id), w.author_id) AS owner
           FROM json_each(${JSON.stringify(ids)}) i CROSS JOIN work_items w ON w.workspace = ${ctx.workspace} AND w.id = i.value`,
        )
      ).map((row) => [row.id, row]),
    );
    const up = new Map<string, string[]>();
    const down = new Map<string, string[]>();
    for (const { from, to } of links) {
      up.set(to, [...(up.get(to) ?? []), from]);
      down.set(from, [...(down.get(from) ?? []), to]);
    }
    return [...up.keys()].sort().flatMap((id) => {
      const item = items.get(id);
      if (!item) return [];
      const chain = chainOf(
        id,
        (x) => up.get(x) ?? [],
        (x) => down.get(x) ?? [],
        (x) => items.get(x),
      );
      const root = chain.roots.map((r) => items.get(r)!).sort((a, b) => a.key.localeCompare(b.key))[0];
      const depth = root ? chain.blockedBy.find((e) => e.id === root.id)!.depth : undefined;
      const who = root?.owner ? ` (owner ${root.owner})` : ' (no owner)';
      return [
        {
          severity: 'warning' as const,
          subject: { type: 'work_item' as const, id },
          ...(item.team ? { team: item.team } : {}),
          title: root
            ? `${item.key} is blocked by ${root.key}${who}${depth && depth > 1 ? `, ${depth} links up the chain` : ''}`
            : `${item.key} is blocked by a cycle of links (${chain.blockedBy.map((e) => e.key).join(', ')})`,
          evidence: {
            key: item.key,
            root: root ? { id: root.id, key: root.key, owner: root.owner, status: root.status, depth } : null,
            roots: chain.roots,
            blockedBy: chain.blockedBy.map((e) => ({ id: e.id, key: e.key, depth: e.depth })),
            cycle: chain.cycle,
          },
        },
      ];
    });
  },
};
