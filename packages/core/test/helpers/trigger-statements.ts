import type { TeamState } from '@teamstate/core';

/**
 * Each trigger's WHEN condition (as a SELECT) and body statements, with NEW/OLD values as unbound parameters, for the
 * triggers named `like` (a LIKE pattern) on `tables`: what a plan test runs EXPLAIN QUERY PLAN on.
 */
export async function triggerStatements(
  ts: TeamState,
  like: string,
  tables: readonly string[],
): Promise<{ trigger: string; sql: string }[]> {
  const { rows } = await ts.store.execute(
    `SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND name LIKE ? AND tbl_name IN (SELECT value FROM json_each(?)) ORDER BY name`,
    [like, JSON.stringify(tables)],
  );
  return rows.flatMap((row) => {
    const text = String(row.sql).replace(/\b(?:NEW|OLD)\.`?(\w+)`?/g, '?');
    const when = /\bWHEN\s+([\s\S]*?)\s+BEGIN\b/.exec(text)?.[1];
    const body = /\bBEGIN\s+([\s\S]*?);\s*END$/.exec(text)![1]!;
    return [
      ...(when ? [{ trigger: String(row.name), sql: `SELECT ${when}` }] : []),
      ...body.split(/;\s*(?=INSERT|DELETE|UPDATE)/).map((sql) => ({ trigger: String(row.name), sql })),
    ];
  });
}

/** Each step of the query plan of every statement {@link triggerStatements} finds, with its trigger's name. */
export async function triggerPlans(ts: TeamState, like: string, tables: readonly string[]): Promise<{ trigger: string; step: string }[]> {
  const plans: { trigger: string; step: string }[] = [];
  for (const { trigger, sql } of await triggerStatements(ts, like, tables)) {
    const { rows } = await ts.store.execute(`EXPLAIN QUERY PLAN ${sql}`);
    for (const row of rows) plans.push({ trigger, step: String(row.detail) });
  }
  return plans;
}
