import { getTableConfig, type SQLiteTable } from 'drizzle-orm/sqlite-core';
import type { TableSpec } from '../../kernel/store/upsert.js';
import * as schema from '../schema.js';
import { DERIVED_COLUMNS } from './derived-columns.js';

/** A record table as the bulk writer sees it, plus its columns' property names (in column order) for typed rows. */
export interface TypedTableSpec<T extends SQLiteTable> extends TableSpec {
  /** The drizzle property of each column, in `columns` order (`createdAt` for `created_at`). */
  readonly fields: readonly (keyof T['$inferInsert'] & string)[];
  /** `alias.created_at AS "createdAt", …`: selects a row shaped as `T['$inferSelect']`. */
  select(alias?: string): string;
}

// Derived columns (DERIVED_COLUMNS) are the store's own: the bulk writer never writes them, readers never map them.
function specOf<T extends SQLiteTable>(table: T): TypedTableSpec<T> {
  const full = getTableConfig(table);
  const derived = DERIVED_COLUMNS[full.name] ?? [];
  const config = { ...full, columns: full.columns.filter((column) => !derived.includes(column.name)) };
  const key = config.primaryKeys[0]?.columns.map((column) => column.name) ?? [];
  const byName = new Map(Object.entries(table).map(([field, column]) => [(column as { name?: string }).name, field]));
  const fields = config.columns.map((column) => byName.get(column.name)!) as (keyof T['$inferInsert'] & string)[];
  const select = (alias?: string) =>
    config.columns.map((column, i) => `${alias ? `${alias}.` : ''}${column.name} AS "${fields[i]}"`).join(', ');
  const cached = new Map<string, string>();
  return {
    name: config.name,
    columns: config.columns.map((column) => column.name),
    key,
    fields,
    select: (alias = '') => {
      const text = cached.get(alias) ?? select(alias);
      cached.set(alias, text);
      return text;
    },
  };
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
  reports: specOf(schema.reports),
  aiUsage: specOf(schema.aiUsage),
  surveyResponses: specOf(schema.surveyResponses),
  aiFeedback: specOf(schema.aiFeedback),
  knowledgeDocuments: specOf(schema.knowledgeDocuments),
  knowledgeChunks: specOf(schema.knowledgeChunks),
} as const;

/**
 * The tables retention archives besides reports (docs/daily-reports.md#retention), kept apart from {@link tableSpecs} because
 * they are not bundle records: their rows are selected as `$inferSelect` for the archive and written back on restore.
 */
export const archivedTableSpecs = {
  reportRevisions: specOf(schema.reportRevisions),
  webhookDeliveries: specOf(schema.webhookDeliveries),
  signals: specOf(schema.signals),
} as const;

/**
 * Orders a typed row into the table's column order for the bulk writer. The row is the table's
 * `$inferInsert`, so a misspelt or missing column is a compile error; an absent optional one is NULL.
 */
export function toRow<T extends SQLiteTable>(spec: TypedTableSpec<T>, values: T['$inferInsert']): (string | number | null)[] {
  const record = values as Record<string, string | number | null | undefined>;
  return spec.fields.map((field) => record[field] ?? null);
}

/** The tables that hold a workspace's records (what a bundle imports and exports). */
export const RECORD_TABLES: readonly string[] = Object.values(tableSpecs).map((spec) => spec.name);
