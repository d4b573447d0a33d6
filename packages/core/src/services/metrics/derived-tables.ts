import type { Store } from '../../kernel/store/open-store.js';
import { createStoreReader, type StoreReader } from '../../kernel/store/store-reader.js';
import { ensureDeploymentMapping } from '../../records/store/deployment-mapping.js';
import type { DerivedTable, MetricCalculator, ResolvedMetricSettings } from '../../spec/metric-calculator.js';
import { DERIVED_TABLES } from '../../spec/validate-specs.js';

/** Brings derived tables up to date for a workspace and settings: one read when they already are. */
type Refresh = (store: Store, workspace: string, settings: ResolvedMetricSettings) => Promise<unknown>;

/**
 * What brings each derived table up to date. The delivery rows (PR → deploying deployment, rework, incident →
 * deployment) are rebuilt together, so one refresh serves the three.
 */
const REFRESH_OF: Readonly<Record<DerivedTable, Refresh>> = {
  pull_request_deployments: ensureDeploymentMapping,
  deployment_rework: ensureDeploymentMapping,
  incident_deployments: ensureDeploymentMapping,
};

/** The refreshes a calculator waits for: those of the derived tables it declares in `reads`, all of them without. */
function refreshesOf(calculator: MetricCalculator): readonly Refresh[] {
  return [...new Set((calculator.reads ?? DERIVED_TABLES).map((table) => REFRESH_OF[table]))];
}

/** Runs the given refreshes, each at most once per {@link DerivedRefreshes}. */
export type DerivedRefreshes = (refreshes: readonly Refresh[]) => Promise<unknown>;

/**
 * The refreshes of one computation: each runs once, when the first calculator that reads its tables asks, and the
 * calculators that ask after wait for the same run.
 */
export function derivedRefreshes(store: Store, workspace: string, settings: ResolvedMetricSettings): DerivedRefreshes {
  const started = new Map<Refresh, Promise<unknown>>();
  return (refreshes) =>
    Promise.all(
      refreshes.map((refresh) => {
        let running = started.get(refresh);
        if (running === undefined) {
          running = refresh(store, workspace, settings);
          started.set(refresh, running);
        }
        return running;
      }),
    );
}

/**
 * A calculator's read-only reader over `read`: its first statement waits for the derived tables the calculator
 * declares (every one when it declares none) to be up to date; a calculator that reads none waits for nothing.
 */
export function calculatorReader(
  calculator: MetricCalculator,
  read: Store['readAside'],
  workspace: string,
  refresh: DerivedRefreshes,
): StoreReader {
  const refreshes = refreshesOf(calculator);
  if (refreshes.length === 0) return createStoreReader({ execute: read }, workspace);
  let upToDate: Promise<unknown> | undefined;
  return createStoreReader(
    {
      execute: async (text, args) => {
        upToDate ??= refresh(refreshes);
        await upToDate;
        return read(text, args);
      },
    },
    workspace,
  );
}
