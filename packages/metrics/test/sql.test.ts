import { createTeamState } from '@teamstate/core';
import { columns, createStoreReader, integer, nullable, real, sql, text } from '@teamstate/core/store';
import { describe, expect, it } from 'vitest';
import { allPacked, allRows, numbersOf } from '../src/signals/sql.js';

describe('allRows', () => {
  it('gives the rows db.all gives (text, numbers, NULL), handed over as one JSON text, checked, and refuses a name that is no column', async () => {
    const ts = await createTeamState({ database: ':memory:', clock: () => new Date('2026-11-21T10:00:00Z') });
    try {
      const db = createStoreReader(ts.store, ts.workspace);
      const query = sql`SELECT value AS id, 'say "hi", \`now\`' || value AS title, CASE WHEN value % 2 = 0 THEN NULL ELSE value * 1.5 END AS ratio,
          value * 1000000000000 AS at FROM json_each(${JSON.stringify([1, 2, 3])}) ORDER BY value`;
      const shape = { id: integer, title: text, ratio: nullable(real), at: integer };
      const rows = await allRows(db, shape, query);
      expect(rows).toEqual(await db.all(columns(shape), query));
      expect(rows[1]).toEqual({ id: 2, title: 'say "hi", `now`2', ratio: null, at: 2_000_000_000_000 });
      expect(await allRows(db, { id: integer }, sql`SELECT 1 AS id WHERE false`)).toEqual([]);
      await expect(allRows(db, { idd: integer }, query)).rejects.toThrow(/no such column/);
      await expect(allRows(db, { title: integer }, query)).rejects.toThrow('column "title": expected a number');
    } finally {
      await ts.close();
    }
  });
});

describe('allPacked', () => {
  it('reads the packed text (handed over as a BLOB) back as rows, text beyond ASCII included, and nothing as none', async () => {
    const ts = await createTeamState({ database: ':memory:', clock: () => new Date('2026-11-21T10:00:00Z') });
    try {
      const db = createStoreReader(ts.store, ts.workspace);
      const names = ['Zoë', '🙂 "quoted"', 'a\nb'];
      const packed = await allPacked<[number, string]>(
        db,
        sql`SELECT json_group_array(json_array(key, value)) AS packed FROM json_each(${JSON.stringify(names)})`,
      );
      expect(packed).toEqual(names.map((name, i) => [i, name]));
      expect(await allPacked(db, sql`SELECT json_group_array(value) AS packed FROM json_each('[]')`)).toEqual([]);
      expect(await allPacked(db, sql`SELECT NULL AS packed`)).toEqual([]);
    } finally {
      await ts.close();
    }
  });
});

describe('numbersOf', () => {
  const bytes = (text: string) => new TextEncoder().encode(text).buffer as ArrayBuffer;

  it('reads the numbers of a group_concat text, whole or not, in order; NULL and an empty text have none', async () => {
    expect([...numbersOf(bytes('1795219181553,0,12,-7,2.5,1e3'))]).toEqual([1795219181553, 0, 12, -7, 2.5, 1000]);
    expect(numbersOf(null)).toEqual(new Float64Array(0));
    expect(numbersOf(bytes(''))).toEqual(new Float64Array(0));
    // As SQLite writes them, the differences of two columns included.
    const ts = await createTeamState({ database: ':memory:', clock: () => new Date('2026-11-21T10:00:00Z') });
    try {
      const [row] = await createStoreReader(ts.store, ts.workspace).all<{ n: ArrayBuffer }>(
        sql`SELECT CAST(group_concat(value - 5) AS BLOB) AS n FROM json_each('[1795219181553, 3, 7.25, null]')`,
      );
      expect([...numbersOf(row!.n)]).toEqual([1795219181548, -2, 2.25]);
    } finally {
      await ts.close();
    }
  });

  it('refuses an empty value instead of reading a 0', () => {
    expect(() => numbersOf(bytes('1,,2'))).toThrow(/no number at byte 2 of 4/);
    expect(() => numbersOf(bytes('1,'))).toThrow(/no number at byte 2 of 2/);
  });
});
