import type { InArgs, Row } from '@libsql/client';
import { TeamStateError } from '../errors.js';
import type { RowDecoder } from './row-decoder.js';
import type { Sql, StoreReader } from './sql-types.js';

export type { StoreReader };

// Leading comments and whitespace, then the statement's first keyword.
const FIRST_KEYWORD = /^(?:\s+|--[^\n]*(?:\n|$)|\/\*[\s\S]*?\*\/)*([a-z]+)/i;
const READ_KEYWORDS = new Set(['select', 'with', 'values', 'explain']);
// A common table expression may end in a write (`WITH x AS (…) DELETE FROM …`).
const WRITE_CLAUSE = /\b(?:insert\s+(?:or\s+\w+\s+)?into|replace\s+into|update\s+(?:or\s+\w+\s+)?["`[\w.\]]+\s+set|delete\s+from)\b/i;

/** Refuses a statement that could write, naming what to do instead. */
export function assertReadOnly(text: string): void {
  const keyword = FIRST_KEYWORD.exec(text)?.[1]?.toLowerCase();
  if (keyword && READ_KEYWORDS.has(keyword) && (keyword !== 'with' || !WRITE_CLAUSE.test(text))) return;
  throw new TeamStateError(
    'invalid_argument',
    `read-only store: only queries (SELECT, WITH … SELECT, VALUES) can run here, got "${text.trim().slice(0, 40)}…"; writes go through the SDK (ts.import, ts.sync, approvals)`,
  );
}

/** A {@link StoreReader} over one workspace of a store. */
export function createStoreReader(
  store: { execute(sql: string, args?: InArgs): Promise<{ rows: Row[] }> },
  workspace: string,
): StoreReader {
  const execute = (text: string, args: InArgs) => {
    assertReadOnly(text);
    return store.execute(text, args);
  };
  const run = (first: RowDecoder<unknown> | Sql, second?: Sql) => {
    const query = second ?? (first as Sql);
    return execute(query.text, [...query.args]).then(({ rows }) => ({
      rows,
      decoder: second ? (first as RowDecoder<unknown>) : undefined,
    }));
  };
  return {
    workspace,
    // Without columns the caller names the row's type: the one unchecked read, kept for calculators written before.
    all: async (first: RowDecoder<unknown> | Sql, second?: Sql) => {
      const { rows, decoder } = await run(first, second);
      return decoder ? decoder.all(rows) : (rows as unknown as never[]);
    },
    get: async (first: RowDecoder<unknown> | Sql, second?: Sql) => {
      const { rows, decoder } = await run(first, second);
      return decoder ? decoder.first(rows) : (rows[0] as never);
    },
    execute: async (text, args) => ({ rows: (await execute(text, [...(args ?? [])])).rows }),
  };
}
