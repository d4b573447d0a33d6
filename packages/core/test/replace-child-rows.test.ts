import { type Client, createClient } from '@libsql/client';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { replaceChildRows, type TableSpec } from '../src/kernel/store/upsert.js';

// The bulk writer's "make a parent's child rows exactly these": what a re-import of an item's transitions or a pull
// request's reviews does. A child row of a stored parent that the new rows lack is deleted, the others upserted.

const table: TableSpec = { name: 'steps', columns: ['workspace', 'parent', 'seq', 'label'], key: ['workspace', 'parent', 'seq'] };

let db: Client;
beforeEach(async () => {
  db = createClient({ url: ':memory:' });
  await db.execute(
    'CREATE TABLE steps (workspace TEXT NOT NULL, parent TEXT NOT NULL, seq INTEGER, label TEXT, PRIMARY KEY (workspace, parent, seq))',
  );
});
afterEach(() => db.close());

const rows = async () =>
  (await db.execute("SELECT parent, seq, label FROM steps WHERE workspace = 'w' ORDER BY parent, seq")).rows.map(
    (row) => `${row.parent}:${row.seq}:${row.label}`,
  );

async function replace(parents: string[], stored: string[], children: [string, number | null, string][]) {
  const tx = await db.transaction('write');
  const changes = await replaceChildRows(
    tx,
    table,
    'parent',
    'w',
    parents,
    new Set(stored),
    children.map(([parent, seq, label]) => ['w', parent, seq, label]),
  );
  await tx.commit();
  return changes;
}

describe('replaceChildRows', () => {
  it("deletes a stored parent's rows the new ones lack, upserts the rest, and leaves other parents and workspaces alone", async () => {
    await db.execute(
      "INSERT INTO steps VALUES ('w','a',1,'one'),('w','a',2,'two'),('w','a',3,'three'),('w','a',NULL,'no key'),('w','b',1,'one')," +
        "('w','c',1,'one'),('x','a',2,'other workspace')",
    );
    // a keeps 1 (unchanged) and 3 (relabelled) and gains 4; b keeps nothing; c is not a stored parent: nothing of it goes.
    const changes = await replace(
      ['a', 'b', 'c'],
      ['a', 'b'],
      [
        ['a', 1, 'one'],
        ['a', 3, 'THREE'],
        ['a', 4, 'four'],
        ['c', 2, 'two'],
      ],
    );
    // Deleted a:2, a:NULL and b:1; changed a:3; inserted a:4 and c:2.
    expect(changes).toBe(6);
    expect(await rows()).toEqual(['a:1:one', 'a:3:THREE', 'a:4:four', 'c:1:one', 'c:2:two']);
    expect((await db.execute("SELECT label FROM steps WHERE workspace = 'x'")).rows.map((row) => row.label)).toEqual(['other workspace']);
  });

  it('deletes every row of stored parents given no rows at all', async () => {
    await db.execute("INSERT INTO steps VALUES ('w','a',1,'one'),('w','a',NULL,'no key'),('w','b',1,'one')");
    expect(await replace(['a'], ['a'], [])).toBe(2);
    expect(await rows()).toEqual(['b:1:one']);
  });

  it('keeps every listed row of a parent with thousands of children, and deletes the one left out', async () => {
    const many = Array.from({ length: 5_000 }, (_, seq) => ['a', seq, `step ${seq}`] as [string, number, string]);
    await replace(['a'], [], many);
    const changes = await replace(['a'], ['a'], [...many.slice(0, 2_500), ...many.slice(2_501)]);
    expect(changes).toBe(1);
    expect((await db.execute('SELECT count(*) AS n, sum(seq) AS total FROM steps')).rows[0]).toMatchObject({
      n: 4_999,
      total: (4_999 * 5_000) / 2 - 2_500,
    });
  });
});
