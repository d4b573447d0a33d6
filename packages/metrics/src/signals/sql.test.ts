import { createTeamState } from '@teamstate/core';
import { createStoreReader, sql } from '@teamstate/core/store';
import { describe, expect, it } from 'vitest';
import { allRows } from './sql.js';

describe('allRows', () => {
  it('gives the rows db.all gives (text, numbers, NULL), handed over as one JSON text, and refuses a name that is no column', async () => {
    const ts = await createTeamState({ database: ':memory:', clock: () => new Date('2026-11-21T10:00:00Z') });
    try {
      const db = createStoreReader(ts.store, ts.workspace);
      const query = sql`SELECT value AS id, 'say "hi", \`now\`' || value AS title, CASE WHEN value % 2 = 0 THEN NULL ELSE value * 1.5 END AS ratio,
          value * 1000000000000 AS at FROM json_each(${JSON.stringify([1, 2, 3])}) ORDER BY value`;
      type Row = { id: number; title: string; ratio: number | null; at: number };
      const rows = await allRows<Row>(db, ['id', 'title', 'ratio', 'at'], query);
      expect(rows).toEqual(await db.all<Row>(query));
      expect(rows[1]).toEqual({ id: 2, title: 'say "hi", `now`2', ratio: null, at: 2_000_000_000_000 });
      expect(await allRows<Row>(db, ['id'], sql`SELECT 1 AS id WHERE false`)).toEqual([]);
      await expect(allRows<{ idd: number }>(db, ['idd'], query)).rejects.toThrow(/no such column/);
    } finally {
      await ts.close();
    }
  });
});
