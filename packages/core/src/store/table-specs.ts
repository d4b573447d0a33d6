import { getTableConfig, type SQLiteTable } from 'drizzle-orm/sqlite-core';
import * as schema from './schema.js';
import type { TableSpec } from './upsert.js';

function specOf(table: SQLiteTable): TableSpec {
  const config = getTableConfig(table);
  const key = config.primaryKeys[0]?.columns.map((column) => column.name) ?? [];
  return { name: config.name, columns: config.columns.map((column) => column.name), key };
}

/** Bulk-writer specs of the record tables, derived from the drizzle schema. */
export const tableSpecs = {
  teams: specOf(schema.teams),
  people: specOf(schema.people),
  accounts: specOf(schema.accounts),
  memberships: specOf(schema.memberships),
  repositories: specOf(schema.repositories),
  workItems: specOf(schema.workItems),
  workItemAssignees: specOf(schema.workItemAssignees),
  reviews: specOf(schema.reviews),
  transitions: specOf(schema.transitions),
  sprints: specOf(schema.sprints),
  sprintCommittedItems: specOf(schema.sprintCommittedItems),
  deployments: specOf(schema.deployments),
  deploymentPullRequests: specOf(schema.deploymentPullRequests),
  incidents: specOf(schema.incidents),
} as const;

/** Orders a row given by column name into the table's column order. */
export function toRow(spec: TableSpec, values: Record<string, unknown>): (string | number | null)[] {
  return spec.columns.map((column) => (values[column] ?? null) as string | number | null);
}

/** The tables that hold a workspace's records (what a bundle imports and exports). */
export const RECORD_TABLES: readonly string[] = Object.values(tableSpecs).map((spec) => spec.name);
