import { exportBundle } from './bundle/export-bundle.js';
import { type ImportResult, importBundle } from './bundle/import-bundle.js';
import { TeamStateError } from './errors.js';
import { type Logger, silentLogger } from './logger.js';
import { checkCalculators, createMetrics, type Metrics } from './metrics/create-metrics.js';
import { type MetricSettings, resolveMetricSettings } from './metrics/metric-settings.js';
import type { MetricCalculator } from './metrics/metric-spec.js';
import type { Bundle } from './model/bundle.js';
import { computeOverview, type Overview } from './overview.js';
import { createReaders, type Readers } from './readers.js';
import { DEFAULT_DATABASE, openStore, type Store } from './store/open-store.js';
import type { Connector } from './sync/connector-spec.js';
import { runSync, type SyncOptions, type SyncResult } from './sync/run-sync.js';

/** Options of {@link createTeamState}. */
export interface TeamStateOptions {
  /** `file:.teamstate/teamstate.db` (default), a path, `:memory:`, or a `libsql://` / `http(s)://` URL. */
  database?: string;
  /** Auth token for a remote libSQL server. */
  authToken?: string;
  /** Tenant id; every row is scoped to it. Default `default`. */
  workspace?: string;
  connectors?: readonly Connector[];
  /** Metric calculators (`builtinMetrics` from `@teamstate/metrics`, plus your own). */
  metrics?: readonly MetricCalculator[];
  /** Production environments, rework labels, waiting statuses and the DORA benchmark table (docs/metrics.md). */
  metricSettings?: MetricSettings;
  /** The clock; inject one in tests and for `--now`. */
  clock?: () => Date;
  logger?: Logger;
}

/** The teamstate SDK facade: typed readers, import/export, sync. */
export interface TeamState extends Readers {
  readonly workspace: string;
  /** The underlying store, for extensions (metric calculators, custom queries). */
  readonly store: Store;
  readonly connectors: readonly Connector[];
  /** The injected clock. */
  now(): Date;
  /** Validates and imports a `teamstate.bundle/v1` document in one transaction. */
  import(bundle: unknown): Promise<ImportResult>;
  /** The workspace as a `teamstate.bundle/v1` document. */
  export(): Promise<Bundle>;
  /** The workspace at a glance (totals, and per team: PRs, deployments, incidents, WIP, the active sprint), at the clock's now. */
  overview(query?: { team?: string }): Promise<Overview>;
  /** Runs the configured connectors. */
  sync(options?: SyncOptions): Promise<SyncResult>;
  /** The registered metrics: `list()`, `compute(ids, query)`, `explain(id, query)`. */
  readonly metrics: Metrics;
  close(): Promise<void>;
}

const WORKSPACE_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;

/**
 * Opens teamstate on a database (migrating it) and returns the facade.
 *
 * @example
 * const ts = await createTeamState({ database: ':memory:', connectors: [demo()] })
 * await ts.sync()
 * console.log(await ts.teams.list())
 */
export async function createTeamState(options: TeamStateOptions = {}): Promise<TeamState> {
  const workspace = options.workspace ?? 'default';
  if (!WORKSPACE_PATTERN.test(workspace)) {
    throw new TeamStateError(
      'invalid_config',
      `workspace: "${workspace}" is not a valid workspace id (letters, digits, "_", "-", "."; at most 64 characters)`,
    );
  }
  const connectors = options.connectors ?? [];
  const ids = new Set<string>();
  for (const connector of connectors) {
    if (connector.specificationVersion !== 'v1') {
      throw new TeamStateError(
        'invalid_config',
        `connectors: "${connector.id}" implements specification ${String(connector.specificationVersion)}, expected "v1"`,
      );
    }
    if (ids.has(connector.id)) throw new TeamStateError('invalid_config', `connectors: two connectors have the id "${connector.id}"`);
    ids.add(connector.id);
  }
  const calculators = options.metrics ?? [];
  checkCalculators(calculators);
  const metricSettings = resolveMetricSettings(options.metricSettings);
  const clock = options.clock ?? (() => new Date());
  const log = options.logger ?? silentLogger;
  const store = await openStore({
    database: options.database ?? DEFAULT_DATABASE,
    authToken: options.authToken,
    now: () => clock().getTime(),
  });
  let closed = false;
  return {
    ...createReaders(store, workspace),
    workspace,
    store,
    connectors,
    now: clock,
    import: (bundle) => importBundle(store, workspace, bundle),
    export: () => exportBundle(store, workspace),
    overview: (query = {}) => computeOverview(store, workspace, clock(), query.team),
    sync: (syncOptions) => runSync({ store, workspace, connectors, clock, log }, syncOptions),
    metrics: createMetrics(store, workspace, calculators, metricSettings),
    async close() {
      if (closed) return;
      closed = true;
      store.close();
    },
  };
}
