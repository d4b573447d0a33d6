// The metric registry's door: what the facade and the features that read metrics use.

export type { Metrics } from './create-metrics.js';
export * from './metric-defaults.js';
