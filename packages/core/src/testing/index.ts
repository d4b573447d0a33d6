/**
 * Conformance suites for extensions, run in the author's own vitest (vitest is an optional peer dependency):
 * `connectorContract`, `embedderContract`, `knowledgeSourceContract`, `metricContract`, `detectorContract`, `testConnector` (an in-memory
 * connector for tests) and `testEmbedder` (a deterministic embedder, no model).
 * The built-in connectors, metrics and detectors run the same suites.
 *
 * @example
 * import { connectorContract } from '@teamstate/core/testing'
 * connectorContract({ name: 'my-tracker', create: () => myTracker() })
 */
export { type ConnectorContractOptions, connectorContract } from './connector-contract.js';
export { type DetectorContractOptions, detectorContract } from './detector-contract.js';
export { type EmbedderContractOptions, embedderContract } from './embedder-contract.js';
export { type KnowledgeSourceContractOptions, knowledgeSourceContract } from './knowledge-source-contract.js';
export { type MetricContractOptions, metricContract } from './metric-contract.js';
export { type TestConnectorOptions, testConnector } from './test-connector.js';
export { type TestEmbedderOptions, testEmbedder } from './test-embedder.js';
