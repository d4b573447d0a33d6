/** A JQL string literal: quoted, with `"` and `\` escaped. */
export const jqlString = (value: string): string => `"${value.replace(/["\\]/g, (c) => `\\${c}`)}"`;

/** `project in ("PAY", "OPS")`. */
export const projectClause = (projects: readonly string[]): string => `project in (${projects.map(jqlString).join(', ')})`;

/** A project to read and, when it was read before, the instant (epoch ms) to read updates from. */
export interface ProjectScope {
  key: string;
  sinceMs?: number;
}

/**
 * The issues of the projects, oldest update first: every issue of a project read for the first time,
 * only those updated at or after `sinceMs` of the others (each project has its own cursor, so a project
 * added to the config later is read in full). The bound is epoch milliseconds: JQL reads a date literal
 * in the account's time zone, a number as an instant.
 */
export function issuesJql(projects: readonly ProjectScope[]): string {
  const fresh = projects.filter((p) => p.sinceMs === undefined).map((p) => p.key);
  const clauses = [
    ...(fresh.length > 0 ? [projectClause(fresh)] : []),
    ...projects.flatMap((p) =>
      p.sinceMs === undefined ? [] : [`${projectClause([p.key])} AND updated >= ${Math.max(0, Math.floor(p.sinceMs))}`],
    ),
  ];
  return `${clauses.length === 1 ? clauses[0] : clauses.map((c) => `(${c})`).join(' OR ')} ORDER BY updated ASC`;
}

/** The issues of the projects that are (or, for closed sprints, were when it closed) in a sprint. */
export const sprintJql = (projects: readonly string[], sprintId: number): string => `${projectClause(projects)} AND sprint = ${sprintId}`;
