import type { Sql, Store } from '@teamstate/core';

export { and, join, raw, type Sql, type SqlValue, sql, valueList } from '@teamstate/core';

/** Runs a fragment on the store and returns its rows. */
export async function query(store: Store, statement: Sql) {
  return (await store.execute(statement.text, [...statement.args])).rows;
}
