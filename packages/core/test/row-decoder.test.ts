import { afterEach, describe, expect, it } from 'vitest';
import { openStore, type Store } from '../src/kernel/store/open-store.js';
import { columns, flag, integer, nullable, oneOf, optional, scalar, tableRows, text } from '../src/kernel/store/row-decoder.js';
import { sql } from '../src/kernel/store/sql.js';
import { createStoreReader } from '../src/kernel/store/store-reader.js';
import { specOf } from '../src/kernel/store/table-spec.js';
import { migrations } from '../src/migrations.js';
import { teams } from '../src/records/schema.js';

describe('row decoder', () => {
  let store: Store | undefined;
  afterEach(() => store?.close());

  it('reads libSQL rows as their declared columns', async () => {
    store = await openStore({ database: ':memory:', now: () => 0, migrations });
    const { rows } = await store.execute("SELECT 'a' AS id, 3 AS n, NULL AS gone, NULL AS none, 1 AS done, 'open' AS state");
    const shape = columns({
      id: text,
      n: integer,
      gone: optional(integer),
      none: nullable(text),
      done: flag,
      state: oneOf('open', 'closed'),
    });
    expect(shape.all(rows)).toEqual([{ id: 'a', n: 3, gone: undefined, none: null, done: true, state: 'open' }]);
    expect(shape.first([])).toBeUndefined();
    expect(scalar(rows, 'n', integer)).toBe(3);
  });

  it('names the column and what came back when a value has another type', async () => {
    store = await openStore({ database: ':memory:', now: () => 0, migrations });
    const { rows } = await store.execute("SELECT '3' AS n, NULL AS id, 'maybe' AS state, 2 AS done");
    expect(() => columns({ n: integer }).all(rows)).toThrow('column "n": expected a number, the database returned string "3"');
    expect(() => columns({ id: text }).all(rows)).toThrow('column "id": expected text, the database returned NULL');
    expect(() => columns({ state: oneOf('open', 'closed') }).all(rows)).toThrow('expected one of open, closed');
    expect(() => columns({ done: flag }).all(rows)).toThrow('column "done": expected 0 or 1');
    expect(() => scalar([], 'n', integer)).toThrow('column "n": expected a number, the database returned NULL');
  });

  it('reads a table selected with its spec as the drizzle row type, NULL columns as null', async () => {
    store = await openStore({ database: ':memory:', now: () => 0, migrations });
    await store.execute("INSERT INTO teams (workspace, id, name) VALUES ('w', 'payments', 'Payments')");
    const spec = specOf(teams);
    const { rows } = await store.execute(`SELECT ${spec.select('t')} FROM teams t`);
    const [team] = spec.rows.all(rows);
    expect(team).toMatchObject({ workspace: 'w', id: 'payments', name: 'Payments' });
    expect(Object.keys(team!).sort()).toEqual(Object.keys(tableRows(teams).one(rows[0]!)).sort());
    const broken = await store.execute('SELECT 1 AS workspace, id, name FROM teams');
    expect(() => tableRows(teams, ['workspace']).all(broken.rows)).toThrow('column "workspace": expected text');
  });

  it('reads columns of any name as data, quotes and __proto__ included', async () => {
    store = await openStore({ database: ':memory:', now: () => 0, migrations });
    const { rows } = await store.execute(`SELECT 'x' AS "a""b", 7 AS "__proto__", 'y' AS "\\"`);
    expect(Object.entries(columns({ 'a"b': text, '\\': text }).one(rows[0]!))).toEqual([
      ['a"b', 'x'],
      ['\\', 'y'],
    ]);
    const row = columns({ ['__proto__']: integer, 'a"b': text }).one(rows[0]!);
    expect(Object.getPrototypeOf(row)).toBe(Object.prototype);
    expect(Object.entries(row)).toEqual([
      ['__proto__', 7],
      ['a"b', 'x'],
    ]);
    expect(() => columns({ ['__proto__']: text }).one(rows[0]!)).toThrow('column "__proto__": expected text');
  });

  it('checks rows a store reader returns when given their columns', async () => {
    store = await openStore({ database: ':memory:', now: () => 0, migrations });
    await store.execute("INSERT INTO teams (workspace, id, name) VALUES ('w', 'payments', 'Payments')");
    const db = createStoreReader(store, 'w');
    const query = sql`SELECT id, length(name) AS n FROM teams WHERE workspace = ${db.workspace}`;
    expect(await db.all(columns({ id: text, n: integer }), query)).toEqual([{ id: 'payments', n: 8 }]);
    expect(await db.get(columns({ id: text }), query)).toEqual({ id: 'payments' });
    await expect(db.all(columns({ id: integer }), query)).rejects.toThrow('column "id": expected a number');
  });
});
