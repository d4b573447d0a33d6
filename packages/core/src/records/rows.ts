import type * as schema from './schema.js';

// Row types inferred from the drizzle tables: `…Row` is what a `SELECT` of the table returns (with the
// table spec's `select()` list, which names columns by property), `…Insert` what a write needs (columns
// with a default or NULL may be left out). Timestamps are epoch milliseconds, flags 0/1.

/** A `teams` row as read. */
export type TeamRow = typeof schema.teams.$inferSelect;
/** A `teams` row as written. */
export type TeamInsert = typeof schema.teams.$inferInsert;
/** A `people` row as read. */
export type PersonRow = typeof schema.people.$inferSelect;
/** A `people` row as written. */
export type PersonInsert = typeof schema.people.$inferInsert;
/** A `accounts` row as read. */
export type AccountRow = typeof schema.accounts.$inferSelect;
/** A `accounts` row as written. */
export type AccountInsert = typeof schema.accounts.$inferInsert;
/** A `repositories` row as read. */
export type RepositoryRow = typeof schema.repositories.$inferSelect;
/** A `repositories` row as written. */
export type RepositoryInsert = typeof schema.repositories.$inferInsert;
/** A `work_items` row as read. */
export type WorkItemRow = typeof schema.workItems.$inferSelect;
/** A `work_items` row as written. */
export type WorkItemInsert = typeof schema.workItems.$inferInsert;
/** A `reviews` row as read. */
export type ReviewRow = typeof schema.reviews.$inferSelect;
/** A `reviews` row as written. */
export type ReviewInsert = typeof schema.reviews.$inferInsert;
/** A `transitions` row as read. */
export type TransitionRow = typeof schema.transitions.$inferSelect;
/** A `transitions` row as written. */
export type TransitionInsert = typeof schema.transitions.$inferInsert;
/** A `sprints` row as read. */
export type SprintRow = typeof schema.sprints.$inferSelect;
/** A `sprints` row as written. */
export type SprintInsert = typeof schema.sprints.$inferInsert;
/** A `deployments` row as read. */
export type DeploymentRow = typeof schema.deployments.$inferSelect;
/** A `deployments` row as written. */
export type DeploymentInsert = typeof schema.deployments.$inferInsert;
/** A `incidents` row as read. */
export type IncidentRow = typeof schema.incidents.$inferSelect;
/** A `incidents` row as written. */
export type IncidentInsert = typeof schema.incidents.$inferInsert;
/** A `webhook_deliveries` row as read. */
export type WebhookDeliveryRow = typeof schema.webhookDeliveries.$inferSelect;
