// A metric calculator declares the derived tables it reads (`reads`), and `ts.metrics` brings exactly those up to date
// before the calculator's first statement: a calculator that reads the PR → deployment mapping sees a pull request
// and its deployment imported just before, one that declares it reads none never waits for (or causes) a rebuild, and
// one that says nothing has every derived table brought up to date first.
import { describe, expect, it, vi } from 'vitest';
import type { BundleInput } from '../src/bundle.js';
import { columns, integer } from '../src/kernel/store/row-decoder.js';
import { sql } from '../src/kernel/store/sql.js';
import type { DerivedTable, MetricCalculator } from '../src/spec/metric-calculator.js';
import { createTeamState, type TeamState } from '../src/team-state.js';

const window = { from: '2026-03-01T00:00:00Z', to: '2026-04-01T00:00:00Z' };

/** Pull request `n` of acme/api merged on March `n`, and the production deployment `d<n>` that ships it the day after. */
function shipped(n: number): BundleInput {
  const day = (d: number) => `2026-03-${String(d).padStart(2, '0')}T12:00:00Z`;
  return {
    format: 'teamstate.bundle/v1',
    workItems: [
      {
        id: `pr-${n}`,
        source: 'github',
        kind: 'pull_request',
        key: `acme/api#${n}`,
        title: `Change ${n}`,
        state: 'merged',
        repository: 'acme/api',
        createdAt: day(n),
        mergedAt: day(n),
      },
    ],
    deployments: [{ id: `d${n}`, repository: 'acme/api', environment: 'production', status: 'success', finishedAt: day(n + 1) }],
  };
}

/** A calculator counting the stored PR → deployment mapping's rows, declaring `reads` as given (left out: none given). */
function mappedPullRequests(id: string, reads?: readonly DerivedTable[]): MetricCalculator {
  return {
    specificationVersion: 'v1',
    id,
    title: 'Mapped pull requests',
    unit: 'count',
    description: 'Rows of the stored pull request → deployment mapping, whatever their window.',
    ...(reads === undefined ? {} : { reads }),
    async compute(db, q) {
      const row = await db.get(
        columns({ n: integer }),
        sql`SELECT count(*) AS n FROM pull_request_deployments WHERE workspace = ${q.workspace}`,
      );
      return { value: row?.n || null, unit: 'count' };
    },
  };
}

const declared = mappedPullRequests('declared', ['pull_request_deployments']);
const none = mappedPullRequests('reads_none', []);
const undeclared = mappedPullRequests('undeclared');

async function open(): Promise<TeamState> {
  const ts = await createTeamState({ database: ':memory:', metrics: [declared, none, undeclared] });
  await ts.import({
    format: 'teamstate.bundle/v1',
    teams: [{ id: 'payments', name: 'Payments' }],
    repositories: [{ id: 'acme/api', team: 'payments' }],
  });
  return ts;
}

/** The mapping's rows as stored, read past the calculators: what the rebuilds wrote. */
async function storedRows(ts: TeamState): Promise<number> {
  return Number((await ts.store.execute('SELECT count(*) AS n FROM pull_request_deployments')).rows[0]?.n);
}

const value = async (ts: TeamState, id: string) => (await ts.metrics.compute([id], window))[id]?.value;

describe('derived tables a calculator declares it reads', () => {
  it('are brought up to date before its first statement: it sees rows written just before', async () => {
    const ts = await open();
    await ts.import(shipped(2));
    expect(await value(ts, 'declared')).toBe(1);
    await ts.import(shipped(5));
    expect(await value(ts, 'declared')).toBe(2);
    expect((await ts.metrics.explain('declared', window)).result.value).toBe(2);
    await ts.close();
  });

  it('are not rebuilt for a calculator that declares it reads none', async () => {
    const ts = await open();
    const writes = vi.spyOn(ts.store, 'write');
    await ts.import(shipped(2));
    writes.mockClear();
    expect(await value(ts, 'reads_none')).toBeNull();
    expect(writes).not.toHaveBeenCalled();
    expect(await storedRows(ts)).toBe(0);
    expect(await value(ts, 'declared')).toBe(1);
    expect(writes).toHaveBeenCalledTimes(1);
    await ts.import(shipped(5));
    writes.mockClear();
    // The new pull request and deployment wait for the next calculator that reads the mapping.
    expect(await value(ts, 'reads_none')).toBe(1);
    expect((await ts.metrics.explain('reads_none', window)).result.value).toBe(1);
    expect(writes).not.toHaveBeenCalled();
    expect(await storedRows(ts)).toBe(1);
    expect(await value(ts, 'declared')).toBe(2);
    expect(writes).toHaveBeenCalledTimes(1);
    await ts.close();
  });

  it('are every derived table for a calculator that leaves `reads` out: it still sees current rows', async () => {
    const ts = await open();
    await ts.import(shipped(2));
    expect(await value(ts, 'undeclared')).toBe(1);
    await ts.import(shipped(5));
    expect(await value(ts, 'undeclared')).toBe(2);
    expect((await ts.metrics.explain('undeclared', window)).result.value).toBe(2);
    await ts.close();
  });

  it('are brought up to date once for the calculators computed together', async () => {
    const ts = await open();
    await ts.import(shipped(2));
    const writes = vi.spyOn(ts.store, 'write');
    expect(await ts.metrics.compute(['declared', 'undeclared'], { ...window, granularity: 'week', compare: 'previous' })).toMatchObject({
      declared: { value: 1 },
      undeclared: { value: 1 },
    });
    expect(writes).toHaveBeenCalledTimes(1);
    await ts.close();
  });
});
