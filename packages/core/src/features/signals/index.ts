// The signals feature's public face for the rest of core.
export { signalsFeature } from './feature.js';
export type { SignalRow } from './schema.js';
export type { Signals, StoredSignal } from './signals-api.js';
export { signalsSpec } from './table-specs.js';
