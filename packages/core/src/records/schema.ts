// Every table is scoped by `workspace` (the tenant id) and every key starts with it, so one
// workspace can never read another's rows. Timestamps are UTC epoch milliseconds (integers),
// which keeps range predicates index-friendly and comparisons exact. `$type<…>()` narrows a text
// column to the model's enum in TypeScript only (the DDL is unchanged); only validated records are written.
// Features declare their own tables in features/<name>/schema.ts; this file re-exports the shared records' tables,
// declared by concept in records/schema/.

export * from './schema/activity.js';
export * from './schema/deliveries.js';
export * from './schema/identity.js';
export * from './schema/sprints.js';
export * from './schema/sync-and-webhooks.js';
export * from './schema/work-items.js';
