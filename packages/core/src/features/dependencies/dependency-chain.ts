// A work item's dependency chain from its `blocks` links, walked breadth-first with a visited set: every item once, at
// its shortest depth, so a cycle in the links ends the walk instead of running it forever. Pure: the links are read
// elsewhere (the SDK from the store, the signal detector from its reader).

/** What a chain shows of each item. */
export interface ChainItem {
  id: string;
  key: string;
  status: string;
  /** Its status category (`todo`, `in_progress`, `done`), or null when unknown. */
  category: string | null;
  /** Its first assignee, else its author (null without either). */
  owner: string | null;
}

/** One item of a chain and its distance from the item asked about (a direct blocker has depth 1). */
export interface ChainEntry {
  id: string;
  key: string;
  status: string;
  depth: number;
  owner: string | null;
}

/** `ts.workItems.dependencies()`'s answer (docs/allocation.md#dependencies). */
export interface Dependencies {
  item: string;
  /** What blocks the item, directly (depth 1) or through others. */
  blockedBy: ChainEntry[];
  /** What the item blocks, directly or through others. */
  blocks: ChainEntry[];
  /** The unfinished items that block the chain and are blocked by nothing unfinished: where to start. */
  roots: string[];
  /** True when the links lead back to the item itself (a cycle). */
  cycle: boolean;
}

/** The largest chain walked: a chain longer than this is cut (and said so by its depth). */
export const MAX_CHAIN = 10_000;

/** Items reached from `start` through `next`, each at its shortest depth (the start left out), in walk order. */
export function walk(start: string, next: (id: string) => readonly string[]): { id: string; depth: number }[] {
  const seen = new Set([start]);
  const out: { id: string; depth: number }[] = [];
  let frontier = [start];
  for (let depth = 1; frontier.length > 0 && out.length < MAX_CHAIN; depth++) {
    const following: string[] = [];
    for (const id of frontier)
      for (const to of next(id)) {
        if (seen.has(to)) continue;
        seen.add(to);
        out.push({ id: to, depth });
        following.push(to);
      }
    frontier = following;
  }
  return out;
}

/** Whether an item is finished (a done status category). */
const finished = (item: ChainItem | undefined) => item?.category === 'done';

/**
 * The chain of `item` given its links: `blockersOf(id)` the items that block `id`, `blockedOf(id)` those it blocks,
 * `info(id)` each item's facts (an item without facts is left out).
 */
export function chainOf(
  item: string,
  blockersOf: (id: string) => readonly string[],
  blockedOf: (id: string) => readonly string[],
  info: (id: string) => ChainItem | undefined,
): Dependencies {
  const entry = ({ id, depth }: { id: string; depth: number }): ChainEntry[] => {
    const facts = info(id);
    return facts ? [{ id, key: facts.key, status: facts.status, depth, owner: facts.owner }] : [];
  };
  const upstream = walk(item, blockersOf);
  const roots = upstream
    .filter(({ id }) => !finished(info(id)) && info(id) !== undefined)
    .filter(({ id }) => blockersOf(id).every((blocker) => blocker === id || finished(info(blocker)) || info(blocker) === undefined))
    .map(({ id }) => id);
  return {
    item,
    blockedBy: upstream.flatMap(entry),
    blocks: walk(item, blockedOf).flatMap(entry),
    roots,
    cycle: upstream.some(({ id }) => blockersOf(id).includes(item)),
  };
}
