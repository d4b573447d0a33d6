// The retention service's door: the facade's `ts.retention`.

export { type ArchiveHolding, type ArchiveNeedles, archivesHolding } from './archives-holding.js';
export { createRetentionApi, type Retention } from './retention-api.js';
export { type RetentionOptions, resolveRetentionOptions } from './retention-options.js';
