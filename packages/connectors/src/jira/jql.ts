/** A JQL string literal: quoted, with `"` and `\` escaped. */
export const jqlString = (value: string): string => `"${value.replace(/["\\]/g, (c) => `\\${c}`)}"`;

/** `project in ("PAY", "OPS")`. */
export const projectClause = (projects: readonly string[]): string => `project in (${projects.map(jqlString).join(', ')})`;

/**
 * The issues of the projects, oldest update first, optionally only those updated at or after `sinceMs`.
 * The bound is epoch milliseconds: JQL reads a date literal in the account's time zone, a number as an instant.
 */
export function issuesJql(projects: readonly string[], sinceMs?: number): string {
  return `${projectClause(projects)}${sinceMs === undefined ? '' : ` AND updated >= ${Math.max(0, Math.floor(sinceMs))}`} ORDER BY updated ASC`;
}

/** The issues of the projects that are (or, for closed sprints, were when it closed) in a sprint. */
export const sprintJql = (projects: readonly string[], sprintId: number): string => `${projectClause(projects)} AND sprint = ${sprintId}`;
