/**
 * Percentile `p` (a fraction) of `values` in any order, interpolated linearly exactly like numpy's default (as
 * `distributions` does over sorted values: `(n - 1) * p`, then `x[lo] + (x[lo + 1] - x[lo]) * fraction`), without
 * sorting them: the two ranks it needs are selected in place (`values` is reordered). `null` without values.
 */
export function percentileUnsorted(values: Float64Array, p: number): number | null {
  const count = values.length;
  if (count === 0) return null;
  const position = (count - 1) * p;
  const lo = Math.floor(position);
  const fraction = position - lo;
  const low = selectRank(values, lo);
  if (fraction === 0) return low;
  // After the selection nothing after rank `lo` is smaller than it: the next rank is the least of them.
  let next = Infinity;
  for (let i = lo + 1; i < count; i++) if (values[i]! < next) next = values[i]!;
  return low + (next - low) * fraction;
}

/**
 * The value of rank `k` (0-based, ascending) of `values`, moved to index `k` with no larger value before it and no
 * smaller one after it (Hoare's selection: each pass keeps the side that holds `k`; equal values split evenly).
 */
function selectRank(values: Float64Array, k: number): number {
  let left = 0;
  let right = values.length - 1;
  while (left < right) {
    const pivot = values[(left + right) >>> 1]!;
    let i = left;
    let j = right;
    while (i <= j) {
      while (values[i]! < pivot) i++;
      while (values[j]! > pivot) j--;
      if (i <= j) {
        const swap = values[i]!;
        values[i++] = values[j]!;
        values[j--] = swap;
      }
    }
    if (k <= j) right = j;
    else if (k >= i) left = i;
    else break;
  }
  return values[k]!;
}
