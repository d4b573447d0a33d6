import { integer, primaryKey, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import type { Review } from '../../kernel/model/work-item.js';

// Derived on write from work items and their reviews: the open pull requests' reviews. (Each person's acts are read
// from work_items and reviews themselves: person_activity was dropped by migration person_activity_drop.)
// person_activity is no longer declared, but its migrations (created by 0039, dropped after the open by
// person_activity_drop) still name it: records owns it.
// owned-tables: person_activity

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
