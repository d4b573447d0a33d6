// The metric registry's door: what the facade and the features that read metrics use.

export * from './metric-defaults.js';
export type { Metrics } from './metrics-types.js';
