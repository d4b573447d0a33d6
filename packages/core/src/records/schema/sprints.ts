import { index, integer, primaryKey, real, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import type { Sprint } from '../../kernel/model/delivery.js';

// Sprints, the items committed to them, and their derived totals.

export const sprints = sqliteTable(
  'sprints',
  {
    workspace: text('workspace').notNull(),
    id: text('id').notNull(),
    name: text('name').notNull(),
    teamId: text('team_id').notNull(),
    state: text('state').$type<Sprint['state']>().notNull(),
    startAt: integer('start_at').notNull(),
    endAt: integer('end_at').notNull(),
    completedAt: integer('completed_at'),
  },
  (t) => [primaryKey({ columns: [t.workspace, t.id] }), index('sprints_team_completed_idx').on(t.workspace, t.teamId, t.completedAt)],
);

export const sprintCommittedItems = sqliteTable(
  'sprint_committed_items',
  {
    workspace: text('workspace').notNull(),
    sprintId: text('sprint_id').notNull(),
    workItemId: text('work_item_id').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.workspace, t.sprintId, t.workItemId] }),
    // The sprints an item is committed to, for the triggers that keep `sprint_totals` right when the item changes.
    index('sprint_committed_items_item_idx').on(t.workspace, t.workItemId),
  ],
);

/**
 * Derived (never in a bundle): per sprint, the story points the sprint metrics add up, kept right by SQL triggers on
 * every table they derive from (`work_items`, `transitions`, `sprints`, `sprint_committed_items`; migration 0030), so
 * `sprint_completion` and `velocity` read one row per sprint instead of looking up each of its items. A sprint's
 * items are its committed items plus the items whose sprint it is; `committed_points` adds up the committed items'
 * points, `completed_points` those of the items done by the sprint's `completed_at` (resolved at or before it, or
 * without a resolution in the done category as of it), items without points counting 0. Sums of whole points are
 * exact whatever the order of the writes; `fractional_items` counts the sprint's items with fractional points, whose
 * sums the metrics take from the items instead.
 */
export const sprintTotals = sqliteTable(
  'sprint_totals',
  {
    workspace: text('workspace').notNull(),
    sprintId: text('sprint_id').notNull(),
    committedPoints: real('committed_points').notNull(),
    completedPoints: real('completed_points').notNull(),
    fractionalItems: integer('fractional_items').notNull(),
  },
  (t) => [primaryKey({ columns: [t.workspace, t.sprintId] })],
);
