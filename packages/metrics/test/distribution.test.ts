import { createTeamState, type Sql, type StoreReader } from '@teamstate/core';
import { createStoreReader, join, sql } from '@teamstate/core/store';
import { describe, expect, it, vi } from 'vitest';
import { type Distribution, distributions } from '../src/common/distribution.js';

/** numpy.percentile(values, p * 100) with the default 'linear' method, written directly from its definition. */
function numpyLinear(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  const index = (sorted.length - 1) * p;
  const lo = Math.floor(index);
  const hi = Math.ceil(index);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (index - lo);
}

/** The summary of `rows`' column `x` read as rows, sorted by SQLite: the stored values themselves, no JSON. */
async function sortedRead(db: StoreReader, rows: Sql, levels: readonly number[]): Promise<Distribution> {
  const values = (await db.all<{ x: number }>(sql`SELECT x FROM (${rows}) WHERE x IS NOT NULL ORDER BY 1`)).map((row) => row.x);
  return {
    count: values.length,
    max: values.length === 0 ? null : values[values.length - 1]!,
    percentiles: new Map(levels.map((p) => [p, values.length === 0 ? null : numpyLinear(values, p)])),
  };
}

/** A small deterministic pseudo-random generator (LCG), so the test is reproducible. */
function random(seed: number) {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2_147_483_648;
    return state / 2_147_483_648;
  };
}

describe('distributions', () => {
  it('matches numpy linear interpolation on random samples with ties and NULLs', async () => {
    const ts = await createTeamState({ database: ':memory:' });
    const next = random(7);
    for (let round = 0; round < 40; round++) {
      const size = 1 + Math.floor(next() * 60);
      const values = Array.from(
        { length: size },
        () => Math.floor(next() * 20) * 3_600_000 + (next() < 0.3 ? 0 : Math.floor(next() * 1000)),
      );
      const rows = join(
        [...values, null].map((value) => sql`SELECT ${value} AS x, ${value === null ? 1 : null} AS y`),
        ' UNION ALL ',
      );
      const { x, y } = await distributions(createStoreReader(ts.store, ts.workspace), rows, ['x', 'y'], [0, 0.5, 0.75, 0.9, 1]);
      expect(x.count).toBe(size);
      expect(x.max).toBe(Math.max(...values));
      for (const p of [0, 0.5, 0.75, 0.9, 1]) expect(x.percentiles.get(p)).toBeCloseTo(numpyLinear(values, p), 6);
      expect(y.count).toBe(1);
      expect(y.percentiles.get(0.5)).toBe(1);
    }
  });

  it('keeps REAL values bit for bit (SQLite writes them to JSON with 15 digits), mixed with integers and NULLs', async () => {
    const ts = await createTeamState({ database: ':memory:' });
    const db = createStoreReader(ts.store, ts.workspace);
    const next = random(3);
    const levels = [0, 0.1, 0.5, 0.75, 0.9, 1];
    for (let round = 0; round < 20; round++) {
      // Doubles that 15 significant digits do not round-trip (0.1 + 0.2, thirds, 2^-k fractions), and integers.
      const values = Array.from({ length: 1 + Math.floor(next() * 30) }, (_, i) =>
        i % 3 === 0 ? Math.floor(next() * 1e6) : next() * 1e4 + 0.1 + 0.2 + 1 / 3,
      );
      const rows = join(
        [...values, null].map((value) => sql`SELECT ${value} AS x, 7 AS y`),
        ' UNION ALL ',
      );
      const { x, y } = await distributions(db, rows, ['x', 'y'], levels);
      expect(x.count).toBe(values.length);
      expect(x.max).toBe(Math.max(...values));
      for (const p of levels) expect(x.percentiles.get(p), `p${p} of ${values.join(',')}`).toBe(numpyLinear(values, p));
      expect(y.count).toBe(values.length + 1);
      // Read as rows, the values are the stored doubles themselves: the same summary, exactly.
      expect(await sortedRead(db, rows, levels)).toEqual(x);
    }
  });

  it('reads whole numbers, integers or REALs (a bound number is a REAL), in one statement', async () => {
    const ts = await createTeamState({ database: ':memory:' });
    const db = createStoreReader(ts.store, ts.workspace);
    const values = [3, 1_795_219_200_000, 1, 86_400_000, 3];
    // `?` - 0 is a REAL; 2 - 1 an integer.
    const rows = join([...values.map((value) => sql`SELECT ${value} - 0 AS x`), sql`SELECT 2 - 1 AS x`], ' UNION ALL ');
    const execute = vi.spyOn(ts.store, 'execute');
    const { x } = await distributions(db, rows, ['x'], [0.5, 1]);
    expect(execute).toHaveBeenCalledTimes(1);
    execute.mockRestore();
    expect(x).toEqual({
      count: 6,
      max: 1_795_219_200_000,
      percentiles: new Map([
        [0.5, 3],
        [1, 1_795_219_200_000],
      ]),
    });
  });

  it('gives null percentiles and a zero count for no rows', async () => {
    const ts = await createTeamState({ database: ':memory:' });
    const { x } = await distributions(createStoreReader(ts.store, ts.workspace), sql`SELECT 1 AS x WHERE 0`, ['x'], [0.5]);
    expect(x).toEqual({ count: 0, max: null, percentiles: new Map([[0.5, null]]) });
  });

  it('gives exactly the summary of the values read as rows and sorted by SQLite, NULLs ignored', async () => {
    const ts = await createTeamState({ database: ':memory:' });
    const db = createStoreReader(ts.store, ts.workspace);
    const next = random(11);
    for (let round = 0; round < 30; round++) {
      const values = Array.from({ length: Math.floor(next() * 25) }, () => Math.floor(next() * 50) * 3_600_000 + Math.floor(next() * 999));
      const rows = join(
        [...values, null].map((value) => sql`SELECT ${value} AS x`),
        ' UNION ALL ',
      );
      const levels = [0, 0.5, 0.75, 0.9, 1];
      const { x } = await distributions(db, rows, ['x'], levels);
      expect(await sortedRead(db, rows, levels)).toEqual(x);
    }
  });
});
