// The retention feature's door: the facade's `ts.retention`.
export { createRetentionApi, type Retention } from './retention-api.js';
export { type RetentionOptions, resolveRetentionOptions } from './retention-options.js';
