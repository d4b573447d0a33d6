import { specOf as specOfTable, type TypedTableSpec } from '../../kernel/store/table-spec.js';
import * as schema from '../schema.js';
import { DERIVED_COLUMNS } from './derived-columns.js';

export { type TypedTableSpec, toRow } from '../../kernel/store/table-spec.js';

// The record tables' derived columns are the store's own: the bulk writer never writes them, readers never map them.
const specOf = <T extends Parameters<typeof specOfTable>[0]>(table: T): TypedTableSpec<T> =>
  specOfTable(table, DERIVED_COLUMNS[specOfTable(table).name] ?? []);

/** Bulk-writer specs of the record tables, derived from the drizzle schema. */
export const tableSpecs = {
  teams: specOf(schema.teams),
  people: specOf(schema.people),
  accounts: specOf(schema.accounts),
  memberships: specOf(schema.memberships),
  teamLeads: specOf(schema.teamLeads),
  repositories: specOf(schema.repositories),
  workItems: specOf(schema.workItems),
  workItemAssignees: specOf(schema.workItemAssignees),
  reviewRequests: specOf(schema.reviewRequests),
  reviews: specOf(schema.reviews),
  transitions: specOf(schema.transitions),
  sprints: specOf(schema.sprints),
  sprintCommittedItems: specOf(schema.sprintCommittedItems),
  deployments: specOf(schema.deployments),
  deploymentPullRequests: specOf(schema.deploymentPullRequests),
  incidents: specOf(schema.incidents),
  /** Not a bundle record: retention archives delivered webhooks and restores them. */
  webhookDeliveries: specOf(schema.webhookDeliveries),
} as const;

/** The record tables a bundle imports and exports (features add the tables of their bundle sections). */
export const SHARED_RECORD_TABLES: readonly string[] = Object.entries(tableSpecs)
  .filter(([name]) => name !== 'webhookDeliveries')
  .map(([, spec]) => spec.name);
