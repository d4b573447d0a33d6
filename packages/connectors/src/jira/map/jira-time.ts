/**
 * Epoch milliseconds of a Jira timestamp: a `Date` (jira.js coerces validated ones) or a string such as
 * `2026-03-01T09:00:00.000+0000`; `undefined` when absent or unreadable.
 */
export function jiraInstant(value: unknown): number | undefined {
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? undefined : value.getTime();
  if (typeof value !== 'string' || value === '') return undefined;
  const ms = Date.parse(/[+-]\d{4}$/.test(value) ? `${value.slice(0, -2)}:${value.slice(-2)}` : value);
  return Number.isNaN(ms) ? undefined : ms;
}

/** A Jira timestamp as a UTC ISO 8601 string, or `undefined`. */
export function jiraIso(value: unknown): string | undefined {
  const ms = jiraInstant(value);
  return ms === undefined ? undefined : new Date(ms).toISOString();
}

/** A due date (`2026-03-20`, a calendar day without a zone) as the end of that day in UTC: not late until the day is over. */
export function dueDayEnd(value: unknown): string | undefined {
  if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(value)) return jiraIso(value);
  const ms = Date.parse(`${value}T23:59:59.999Z`);
  return Number.isNaN(ms) ? undefined : new Date(ms).toISOString();
}
