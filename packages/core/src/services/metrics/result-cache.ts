import type { MetricResult } from '../../spec/metric-calculator.js';

/** The most distinct queries whose results a {@link ResultCache} keeps at one data version; the least recently used goes first. */
const CACHED_QUERIES = 256;

/** One computation's results, keyed by metric id. */
type Results = Record<string, MetricResult>;

/**
 * The results of the latest queries at the store's data version (`Store.dataVersion`): the same query again, while
 * nothing was committed, is answered from them, and identical queries at once share one computation. A calculator is a
 * function of the store and the query, so nothing else can change its result.
 */
export interface ResultCache {
  /** The data version the entries were computed at. */
  version: string | undefined;
  /** Pending or settled computations by query key, the most recently used last. */
  readonly entries: Map<string, Promise<Results>>;
}

/** An empty {@link ResultCache}. */
export function createResultCache(): ResultCache {
  return { version: undefined, entries: new Map() };
}

/**
 * The results of the query `key` at data `version`: the kept ones, or those `compute` gives (kept unless it fails).
 * A new version forgets every kept result.
 */
export function cachedResults(cache: ResultCache, version: string, key: string, compute: () => Promise<Results>): Promise<Results> {
  const { entries } = cache;
  if (version !== cache.version) {
    entries.clear();
    cache.version = version;
  }
  let pending = entries.get(key);
  if (pending) entries.delete(key);
  else {
    const computing = compute();
    computing.catch(() => {
      if (entries.get(key) === computing) entries.delete(key);
    });
    pending = computing;
  }
  // Most recently used last: the first key is the one forgotten.
  entries.set(key, pending);
  if (entries.size > CACHED_QUERIES) {
    const oldest = entries.keys().next();
    if (!oldest.done) entries.delete(oldest.value);
  }
  return pending;
}

/**
 * A copy of a result for one caller, so that changing it changes no later answer: arrays and plain objects (what
 * calculators return) copied here, a quarter of the time of `structuredClone` on a team's default metrics; any other
 * object (a `Date` a custom calculator returned) by `structuredClone`.
 */
export function copyOf<T>(value: T): T {
  if (typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) return value.map(copyOf) as T;
  if (Object.getPrototypeOf(value) !== Object.prototype) return structuredClone(value);
  const copy: Record<string, unknown> = {};
  for (const key of Object.keys(value)) {
    const item = copyOf((value as Record<string, unknown>)[key]);
    // An own `__proto__` (from JSON.parse) stays a property: assigned, it would set the copy's prototype.
    if (key === '__proto__') Object.defineProperty(copy, key, { value: item, enumerable: true, writable: true, configurable: true });
    else copy[key] = item;
  }
  return copy as T;
}
