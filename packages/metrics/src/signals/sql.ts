import type { Store } from '@teamstate/core';

/** The team of a work item: its own, else its repository's. `w` is the work_items alias. */
export const ITEM_TEAM =
  '(COALESCE(w.team_id, (SELECT r.team_id FROM repositories r WHERE r.workspace = w.workspace AND r.id = w.repository_id)))';

/** The team of a row with a `repository_id` column under alias `d`. */
export const REPOSITORY_TEAM = '(SELECT r.team_id FROM repositories r WHERE r.workspace = d.workspace AND r.id = d.repository_id)';

/** Rows of a query whose first parameter is the workspace. */
export async function rows(store: Store, workspace: string, sql: string, args: (string | number)[] = []) {
  return (await store.execute(sql, [workspace, ...args])).rows;
}

const HOUR = 3_600_000;
/** "3.5 days", "5 hours": how long, for a title. */
export function humanDuration(ms: number): string {
  const hours = ms / HOUR;
  if (hours < 48) return `${Math.round(hours)} hour${Math.round(hours) === 1 ? '' : 's'}`;
  const days = Math.round((hours / 24) * 10) / 10;
  return `${days} days`;
}

/** "2.4 working days" from working hours (8 per day). */
export function workingDays(hours: number): string {
  const days = Math.round((hours / 8) * 10) / 10;
  return `${days} working day${days === 1 ? '' : 's'}`;
}

/** A setting as a number (thresholds come from config as numbers). */
export const num = (value: unknown) => Number(value);
/** A setting as a list of lower-case strings. */
export const names = (value: unknown) => (Array.isArray(value) ? value.map((v) => String(v).toLowerCase()) : [String(value).toLowerCase()]);
