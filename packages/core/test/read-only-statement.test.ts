import { describe, expect, it } from 'vitest';
import { readOnly } from '../src/kernel/store/read-only-statement.js';

// On a local file, a statement that may write waits its turn with the process's write transactions; one that cannot
// runs beside them. Taking a read for a write only costs a wait; taking a write for a read would hold the event loop
// on SQLite's lock, so every doubtful statement counts as a write.
describe('readOnly', () => {
  it.each([
    ['SELECT 1', true],
    ['  select * from people', true],
    ['-- who is on call\nSELECT id FROM oncalls', true],
    ['/* a note */ SELECT 1', true],
    ['EXPLAIN QUERY PLAN SELECT * FROM work_items', true],
    ['VALUES (1), (2)', true],
    ['PRAGMA data_version', true],
    ['pragma table_info(people)', false],
    ['PRAGMA journal_mode = WAL', false],
    ['PRAGMA user_version(7)', false],
    ['WITH t AS (SELECT 1 AS n) SELECT n FROM t', true],
    ['WITH t AS (SELECT 1 AS n) INSERT INTO x SELECT n FROM t', false],
    ['with t as (select 1) update x set n = 1', false],
    ['WITH t AS (SELECT 1) DELETE FROM x', false],
    ['WITH t AS (SELECT 1) REPLACE INTO x VALUES (1)', false],
    ['INSERT INTO people (id) VALUES (1)', false],
    ['UPDATE people SET name = 1', false],
    ['DELETE FROM people', false],
    ['CREATE TABLE x (n)', false],
    ['BEGIN', false],
    ['-- only a comment', false],
    ['', false],
  ])('%j: %s', (sql, expected) => {
    expect(readOnly(sql)).toBe(expected);
  });
});
