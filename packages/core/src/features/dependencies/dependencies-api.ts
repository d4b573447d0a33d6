import type { Store } from '../../kernel/store/open-store.js';
import { columns, nullable, text } from '../../kernel/store/row-decoder.js';
import { invalid } from '../../records/arguments.js';
import { type ChainItem, chainOf, type Dependencies, MAX_CHAIN } from './dependency-chain.js';

/** What the api reads through. */
export interface DependenciesDeps {
  store: Store;
  workspace: string;
}

const linkRow = columns({ from: text, to: text });
const itemRow = columns({ id: text, key: text, state: text, category: nullable(text), owner: nullable(text) });

/** The `blocks` links reachable from `start` one way (`up`: what blocks it), a level per query. */
async function linksFrom(deps: DependenciesDeps, start: string, up: boolean): Promise<Map<string, string[]>> {
  const next = new Map<string, string[]>();
  const seen = new Set([start]);
  let frontier = [start];
  while (frontier.length > 0 && seen.size < MAX_CHAIN) {
    const { rows } = await deps.store.execute(
      up
        ? `SELECT l.from_id AS "from", l.to_id AS "to" FROM json_each(?2) f
           CROSS JOIN work_item_links l INDEXED BY work_item_links_to_idx ON l.workspace = ?1 AND l.to_id = f.value AND l.kind = 'blocks'`
        : `SELECT l.from_id AS "from", l.to_id AS "to" FROM json_each(?2) f
           CROSS JOIN work_item_links l ON l.workspace = ?1 AND l.from_id = f.value AND l.kind = 'blocks'`,
      [deps.workspace, JSON.stringify(frontier)],
    );
    const following: string[] = [];
    for (const link of linkRow.all(rows)) {
      const [here, there] = up ? [link.to, link.from] : [link.from, link.to];
      next.set(here, [...(next.get(here) ?? []), there]);
      if (!seen.has(there)) {
        seen.add(there);
        following.push(there);
      }
    }
    frontier = following;
  }
  return next;
}

/** The facts a chain shows of each item. */
export async function chainItems(deps: DependenciesDeps, ids: readonly string[]): Promise<Map<string, ChainItem>> {
  const { rows } = await deps.store.execute(
    `SELECT w.id, w.key, w.state, w.status_category AS category,
       COALESCE((SELECT min(a.person_id) FROM work_item_assignees a WHERE a.workspace = w.workspace AND a.work_item_id = w.id), w.author_id) AS owner
     FROM json_each(?2) i CROSS JOIN work_items w ON w.workspace = ?1 AND w.id = i.value`,
    [deps.workspace, JSON.stringify(ids)],
  );
  return new Map(itemRow.all(rows).map((r) => [r.id, { id: r.id, key: r.key, status: r.state, category: r.category, owner: r.owner }]));
}

/** The item an id or key names; refused naming the argument when there is none. */
async function itemId(deps: DependenciesDeps, idOrKey: unknown): Promise<string> {
  if (typeof idOrKey !== 'string' || idOrKey === '') throw invalid('item: expected a work item id or key, e.g. PAY-12 or acme/api#42');
  const { rows } = await deps.store.execute(
    `SELECT id FROM work_items WHERE workspace = ?1 AND id = ?2
     UNION ALL SELECT id FROM (SELECT id FROM work_items INDEXED BY work_items_key_idx WHERE workspace = ?1 AND key = ?2 ORDER BY id LIMIT 1)
     LIMIT 1`,
    [deps.workspace, idOrKey],
  );
  const id = (rows[0] as { id?: unknown } | undefined)?.id;
  if (typeof id !== 'string') throw invalid(`item: no work item "${idOrKey}" in this workspace (teamstate list shows ids and keys)`);
  return id;
}

/** `ts.workItems.dependencies(idOrKey)`: what blocks the item and what it blocks, with the roots to start from. */
export async function dependencies(deps: DependenciesDeps, idOrKey: string): Promise<Dependencies> {
  const item = await itemId(deps, idOrKey);
  const [up, down] = await Promise.all([linksFrom(deps, item, true), linksFrom(deps, item, false)]);
  const ids = new Set([item, ...[...up.values()].flat(), ...[...down.values()].flat()]);
  const items = await chainItems(deps, [...ids]);
  return chainOf(
    item,
    (id) => up.get(id) ?? [],
    (id) => down.get(id) ?? [],
    (id) => items.get(id),
  );
}
