import type { MetricQuery, Sql } from '@teamstate/core';
import { raw, sql } from '@teamstate/core/store';

/** Milliseconds in an hour: durations are stored in ms and reported in hours. */
export const HOUR_MS = 3_600_000;
/** Milliseconds in a day. */
export const DAY_MS = 24 * HOUR_MS;

/** `column` in the query's half-open window `[from, to)`. */
export const inWindow = (column: string, q: MetricQuery): Sql => sql`${raw(column)} >= ${q.from} AND ${raw(column)} < ${q.to}`;

// The scopes of work items, one definition shared with the overview (see `@teamstate/core/store`).
export { byPerson, issueScope, ofTeamRepository, pullRequestScope, scopedByRepository } from '@teamstate/core/store';

/** Milliseconds → hours (`null` stays `null`). */
export const hours = (ms: number | null | undefined): number | null => (ms === null || ms === undefined ? null : ms / HOUR_MS);
