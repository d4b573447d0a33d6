import type { SyncContext } from '@teamstate/core';

/**
 * A value kept between runs in one of the connector's cursors, with when it was read and what it was
 * read for: it is used again while younger than `maxAgeMs` and read for the same `fingerprint` (the
 * projects, boards and teams it depends on), and read afresh otherwise.
 */
export interface CachedValue<T> {
  /** The kept value, or `undefined` when it is missing, too old, for other settings or unreadable. */
  read(ctx: Pick<SyncContext, 'getCursor' | 'now'>): Promise<T | undefined>;
  /** The cursor that keeps `value` as read now (stored with the batch it is emitted with). */
  cursor(ctx: Pick<SyncContext, 'now'>, value: T): Record<string, string>;
}

export function cachedValue<T>(key: string, fingerprint: string, maxAgeMs: number): CachedValue<T> {
  return {
    async read(ctx) {
      const raw = await ctx.getCursor(key);
      if (raw === undefined || maxAgeMs <= 0) return undefined;
      try {
        const kept = JSON.parse(raw) as { at?: unknown; fingerprint?: unknown; value?: T };
        const age = ctx.now().getTime() - Number(kept.at);
        if (kept.fingerprint !== fingerprint || !(age >= 0 && age < maxAgeMs)) return undefined;
        return kept.value;
      } catch {
        return undefined;
      }
    },
    cursor: (ctx, value) => ({ [key]: JSON.stringify({ at: ctx.now().getTime(), fingerprint, value }) }),
  };
}
