import { TeamStateError } from '../kernel/errors.js';
import { providerSchema } from '../kernel/model/common.js';
import type { Connector } from './connector.js';
import type { Embedder } from './embedder.js';
import type { InteractionSpec } from './interaction.js';
import type { DerivedTable, MetricCalculator } from './metric-calculator.js';
import type { SignalDetector, SignalSource } from './signal-detector.js';

const VERSION = 'v1';

/** `specificationVersion` must be `'v1'`; calculators, detectors and a connector's parts may leave it out (v1). */
function checkVersion(where: string, name: string, version: unknown, required: boolean): void {
  if (version === VERSION || (version === undefined && !required)) return;
  throw new TeamStateError('invalid_config', `${where}: "${name}" implements specification ${String(version)}, expected "${VERSION}"`);
}

function checkUnique(where: string, what: string, values: readonly string[]): void {
  const seen = new Set<string>();
  for (const value of values) {
    if (seen.has(value)) throw new TeamStateError('invalid_config', `${where}: two ${what} "${value}"`);
    seen.add(value);
  }
}

/** A connector's interaction specs, none, one or several. */
export function interactionsOf(connector: Connector): readonly InteractionSpec[] {
  const { interactions } = connector;
  if (!interactions) return [];
  return Array.isArray(interactions) ? interactions : [interactions as InteractionSpec];
}

/**
 * Checks the connectors a facade is created with: spec versions (theirs and their webhooks', interactions',
 * approval channels', repository file readers' and actions'), unique ids, webhook paths and approval channel ids.
 */
export function validateConnectors(connectors: readonly Connector[]): void {
  for (const connector of connectors) {
    checkVersion('connectors', connector.id, connector.specificationVersion, true);
    const parts = [
      connector.webhooks,
      ...interactionsOf(connector),
      connector.approvalChannel,
      connector.repositoryFiles,
      ...(connector.actions ?? []),
    ];
    for (const part of parts) if (part) checkVersion('connectors', connector.id, part.specificationVersion, false);
    for (const provider of connector.providers ?? []) {
      const checked = providerSchema.safeParse(provider);
      if (!checked.success)
        throw new TeamStateError(
          'invalid_config',
          `connectors: "${connector.id}" providers: ${JSON.stringify(provider)} is not a provider id; ${checked.error.issues[0]?.message}`,
        );
    }
  }
  checkUnique(
    'connectors',
    'connectors have the id',
    connectors.map((c) => c.id),
  );
  checkUnique('connectors', 'connectors use the same webhook path', [
    ...connectors.flatMap((c) => (c.webhooks ? [c.webhooks.provider] : [])),
    ...connectors.flatMap((c) => interactionsOf(c).map((spec) => spec.path)),
  ]);
  checkUnique(
    'connectors',
    'connectors use the same approval channel id',
    connectors.flatMap((c) => (c.approvalChannel ? [c.approvalChannel.id] : [])),
  );
}

// Every derived table once: a record, so that the compiler asks for a table added to `DerivedTable`.
const DERIVED: Readonly<Record<DerivedTable, true>> = {
  pull_request_deployments: true,
  deployment_rework: true,
  incident_deployments: true,
};

/** Whether `value` names a derived table. */
export function isDerivedTable(value: unknown): value is DerivedTable {
  return typeof value === 'string' && Object.hasOwn(DERIVED, value);
}

/** Every {@link DerivedTable}: what a calculator that leaves `reads` out is given. */
export const DERIVED_TABLES: readonly DerivedTable[] = Object.keys(DERIVED).filter(isDerivedTable);

/** A value as JSON, or as text where JSON has none (undefined, a function, a BigInt). */
function shown(value: unknown): string {
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

/**
 * What is wrong with a calculator's `reads` (the message starts with the field), or `undefined` when it is left out or
 * lists derived tables: {@link validateCalculators} and the metric conformance suite say the same.
 */
export function derivedReadsProblem(reads: unknown): string | undefined {
  if (reads === undefined) return undefined;
  const fix = `list the derived tables its statements read, among ${DERIVED_TABLES.join('|')} ([] for none), or leave reads out to have every one brought up to date first`;
  if (!Array.isArray(reads)) return `reads: expected an array, got ${shown(reads)}; ${fix}`;
  const bad = reads.findIndex((table) => !isDerivedTable(table));
  if (bad === -1) return undefined;
  return `reads[${bad}]: ${shown(reads[bad])} is not a derived table; ${fix}`;
}

/** Checks metric calculators: spec version (absent means v1), snake_case ids, known derived tables in `reads`, no duplicates. */
export function validateCalculators(calculators: readonly MetricCalculator[]): void {
  for (const calculator of calculators) {
    checkVersion('metrics', calculator.id, calculator.specificationVersion, false);
    if (typeof calculator.id !== 'string' || !/^[a-z][a-z0-9_]*$/.test(calculator.id)) {
      throw new TeamStateError('invalid_config', `metrics: id ${JSON.stringify(calculator.id)} must be snake_case (e.g. "open_incidents")`);
    }
    const problem = derivedReadsProblem(calculator.reads);
    if (problem !== undefined) throw new TeamStateError('invalid_config', `metrics: "${calculator.id}".${problem}`);
  }
  checkUnique(
    'metrics',
    'metrics have the id',
    calculators.map((c) => c.id),
  );
}

const SIGNAL_SOURCES: readonly SignalSource[] = [
  'teams',
  'people',
  'memberships',
  'repositories',
  'work_items',
  'work_item_assignees',
  'reviews',
  'transitions',
  'sprints',
  'sprint_committed_items',
  'deployments',
  'incidents',
  'reports',
  'risks',
  'builds',
];

/** Checks signal detectors: spec version (absent means v1), no duplicate kinds, a well-formed `incremental`. */
export function validateDetectors(detectors: readonly SignalDetector[]): void {
  for (const detector of detectors) {
    checkVersion('signals', detector.kind, detector.specificationVersion, false);
    const { incremental } = detector;
    if (incremental === undefined) continue;
    const where = `signals: "${detector.kind}".incremental`;
    if (!Array.isArray(incremental.reads) || incremental.reads.length === 0)
      throw new TeamStateError('invalid_config', `${where}.reads: expected a non-empty list of tables (${SIGNAL_SOURCES.join('|')})`);
    for (const table of incremental.reads)
      if (!SIGNAL_SOURCES.includes(table))
        throw new TeamStateError(
          'invalid_config',
          `${where}.reads: unknown table ${JSON.stringify(table)}; expected one of ${SIGNAL_SOURCES.join('|')}`,
        );
    if (incremental.drivenBy !== 'data' && incremental.drivenBy !== 'time')
      throw new TeamStateError(
        'invalid_config',
        `${where}.drivenBy: expected one of data|time, got ${JSON.stringify(incremental.drivenBy)}`,
      );
  }
  checkUnique(
    'signals',
    'detectors have the kind',
    detectors.map((d) => d.kind),
  );
}

/** Checks an embedder: spec version, a non-empty id and positive integer dimensions. */
export function validateEmbedder(embedder: Embedder): void {
  checkVersion('knowledge.embedder', embedder.id, embedder.specificationVersion, true);
  if (typeof embedder.id !== 'string' || embedder.id.trim() === '')
    throw new TeamStateError('invalid_config', 'knowledge.embedder.id: must be a non-empty string');
  // libSQL's F32_BLOB holds at most 65,536 numbers.
  if (!Number.isInteger(embedder.dimensions) || embedder.dimensions <= 0 || embedder.dimensions > 65_536)
    throw new TeamStateError(
      'invalid_config',
      `knowledge.embedder.dimensions: must be a positive integer up to 65536, got ${JSON.stringify(embedder.dimensions)}`,
    );
  if (typeof embedder.embed !== 'function') throw new TeamStateError('invalid_config', 'knowledge.embedder.embed: must be a function');
}
