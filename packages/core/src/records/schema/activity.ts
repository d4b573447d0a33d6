import { sql } from 'drizzle-orm';
import { index, integer, primaryKey, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import type { Review } from '../../kernel/model/work-item.js';

// Derived on write from work items and their reviews: each person's acts, and the open pull requests' reviews.

/**
 * Each person's activity, one row per act: a pull request opened and one merged (its author), a review submitted (its
 * reviewer, unless they wrote the item). Derived on write: SQL triggers on work_items and reviews keep it equal to those
 * rows whatever the writer (migration 0039; a row is added by whichever of its rows is written last, and removed or
 * rewritten with any of them), so that `person.after_hours` reads each person's window as one range of an index instead
 * of looking up each review's item. `seq` is the review's (0 for opened and merged). The moves of issues assigned to a
 * person are not kept here (migration 0070: 58% of the rows): they are exactly transitions joined with
 * work_item_assignees, which their readers seek by person; rows of source `move` written before it are deleted in
 * batches after the upgrade's open, and every reader skips them (`source <> 'move'`).
 */
export const personActivity = sqliteTable(
  'person_activity',
  {
    workspace: text('workspace').notNull(),
    workItemId: text('work_item_id').notNull(),
    source: text('source').$type<'opened' | 'merged' | 'review'>().notNull(),
    seq: integer('seq').notNull(),
    personId: text('person_id').notNull(),
    at: integer('at').notNull(),
    /**
     * The item's own team (`work_items.team_id`; migration 0042), on review rows only (migration 0062: their one reader
     * counts reviews): an item without one belongs to its repository's.
     */
    teamId: text('team_id'),
    /** The item's repository (`work_items.repository_id`; migration 0042), on review rows only (migration 0062). */
    repositoryId: text('repository_id'),
  },
  (t) => [
    primaryKey({ columns: [t.workspace, t.workItemId, t.source, t.seq, t.personId] }),
    // A person's activity in a window, in time order (covering: person.after_hours seeks each person's window).
    index('person_activity_person_idx').on(t.workspace, t.personId, t.at),
    // The reviews submitted in a window with their item's team and repository and their reviewer (covering:
    // review.load_imbalance counts a window's reviews per team and reviewer without looking up each review's item).
    index('person_activity_review_idx').on(t.workspace, t.at, t.teamId, t.repositoryId, t.personId).where(sql`source = 'review'`),
  ],
);

/**
 * The reviews of the pull requests that are open now (`kind = 'pull_request' AND state = 'open'`), as `reviews` has
 * them. Derived on write: SQL triggers on reviews and work_items keep it equal to those rows whatever the writer
 * (migration 0043: a review is added with its open PR or as it is written, and its PR's rows go when it is merged,
 * closed or removed), so that the open-PR detectors seek an open PR's reviews among a few thousand instead of among
 * every review of the organisation (at 10,000 engineers, each of 11,000 open PRs' look-ups was a page of its own:
 * about 10,000 pages per detector per refresh).
 */
export const openPrReviews = sqliteTable(
  'open_pr_reviews',
  {
    workspace: text('workspace').notNull(),
    workItemId: text('work_item_id').notNull(),
    seq: integer('seq').notNull(),
    reviewerId: text('reviewer_id').notNull(),
    state: text('state').$type<Review['state']>().notNull(),
    submittedAt: integer('submitted_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.workspace, t.workItemId, t.seq] })],
);
