import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BundleInput } from '../bundle.js';
import type { Connector } from '../spec/connector.js';
import type { MetricCalculator, MetricResult } from '../spec/metric-calculator.js';
import { derivedReadsProblem } from '../spec/validate-specs.js';
import { createTeamState, type TeamState } from '../team-state.js';

/** Options of {@link metricContract}. */
export interface MetricContractOptions {
  calculator: MetricCalculator;
  /** The data: a bundle to import, or connectors to sync (e.g. the demo). */
  bundle?: BundleInput;
  connectors?: Connector[];
  /**
   * Where the suite's store is (default `:memory:`), called once per suite: a fresh copy of a database file that
   * already holds the data lets many suites share one sync of it (connectors and bundle, if given, still run).
   */
  database?: () => string | Promise<string>;
  /** The injected clock (default a fixed instant). */
  clock?: () => Date;
  /** The window the checks compute over. */
  window: { from: string; to: string; team?: string };
  /** Parts of the result the data must give, when known (`{ value: 3, count: 3 }`). */
  expected?: Partial<MetricResult>;
}

/**
 * The conformance suite of a metric calculator, built-in or custom, through `ts.metrics` as apps use it: a v1
 * calculator with a snake_case id; `reads`, when given, lists derived tables by their names; `value` is `null` (never 0
 * or NaN) on an empty workspace; the result's unit is the calculator's; the same query gives the same result; with
 * `expected`, the data gives those numbers.
 *
 * @example
 * metricContract({ calculator: openIncidents, bundle, window: { from: '2026-03-01', to: '2026-04-01' }, expected: { value: 2 } })
 */
export function metricContract(options: MetricContractOptions): void {
  const { calculator } = options;
  const clock = options.clock ?? (() => new Date(options.window.to));
  describe(`metric contract: ${calculator.id}`, () => {
    let ts: TeamState;
    let empty: TeamState;
    beforeAll(async () => {
      const database = (await options.database?.()) ?? ':memory:';
      ts = await createTeamState({ database, metrics: [calculator], connectors: options.connectors, clock });
      // Connectors first, then the bundle (which may refer to what they synced).
      if (options.connectors) expect((await ts.sync()).ok).toBe(true);
      if (options.bundle) await ts.import(options.bundle);
      empty = await createTeamState({ database: ':memory:', metrics: [calculator], clock });
      if (options.window.team)
        await empty.import({ format: 'teamstate.bundle/v1', teams: [{ id: options.window.team, name: options.window.team }] });
    });
    afterAll(async () => {
      await ts.close();
      await empty.close();
    });

    it('is a v1 calculator with a snake_case id, a title, a unit and a definition', () => {
      expect(calculator.specificationVersion ?? 'v1').toBe('v1');
      expect(calculator.id).toMatch(/^[a-z][a-z0-9_]*$/);
      expect(calculator.title.length).toBeGreaterThan(0);
      expect(calculator.unit.length).toBeGreaterThan(0);
      expect(calculator.description.length).toBeGreaterThan(10);
    });

    it('declares the derived tables it reads, if it does, by their names', () => {
      const problem = derivedReadsProblem(calculator.reads);
      expect(problem, `metric "${calculator.id}" ${problem}`).toBeUndefined();
    });

    it('is null on an empty workspace, never 0 or NaN', async () => {
      const result = (await empty.metrics.compute([calculator.id], options.window))[calculator.id]!;
      expect(result.value).toBeNull();
      expect(result.unit).toBe(calculator.unit);
    });

    it('answers in its unit, the same way twice', async () => {
      const first = (await ts.metrics.compute([calculator.id], options.window))[calculator.id]!;
      const second = (await ts.metrics.compute([calculator.id], options.window))[calculator.id]!;
      expect(first.unit).toBe(calculator.unit);
      expect(second).toEqual(first);
      if (first.value !== null) expect(Number.isFinite(first.value)).toBe(true);
    });

    if (options.expected) {
      it('gives the expected numbers for the data', async () => {
        expect((await ts.metrics.compute([calculator.id], options.window))[calculator.id]).toMatchObject(options.expected!);
      });
    }
  });
}
