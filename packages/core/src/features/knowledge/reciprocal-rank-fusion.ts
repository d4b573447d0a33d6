/** The `k` of reciprocal rank fusion: how much the first few ranks of a list outweigh the rest (Cormack et al., 2009). */
export const RRF_K = 60;

/**
 * Reciprocal rank fusion: each item scores the sum over the ranked lists it is in of `1 / (k + rank)` (rank 1 the
 * best), so an item near the top of both lists beats one at the top of only one, whatever the lists' own scores.
 * Returns every item once, best first (ties: the order of the first list, then of the next).
 *
 * @example fuseRanks([['a', 'b'], ['b', 'c']], (id) => id) // b (in both), then a, then c
 */
export function fuseRanks<T>(lists: readonly (readonly T[])[], key: (item: T) => string | number, k = RRF_K): { item: T; score: number }[] {
  const fused = new Map<string | number, { item: T; score: number; order: number }>();
  let order = 0;
  for (const list of lists)
    list.forEach((item, index) => {
      const id = key(item);
      const entry = fused.get(id) ?? { item, score: 0, order: order++ };
      entry.score += 1 / (k + index + 1);
      fused.set(id, entry);
    });
  return [...fused.values()].sort((a, b) => b.score - a.score || a.order - b.order).map(({ item, score }) => ({ item, score }));
}
