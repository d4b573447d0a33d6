-- Four indexes of work_items that no hot read needs (about 20 MB of the large demo's 468, 4% of the file): an item's
-- people by id come from the primary key and its row, flow_efficiency over the organisation reads the window's issues
-- from work_items_resolved_idx and sorts them by id, the pull requests opened in a window come from
-- work_items_created_idx (their readers read each row's title anyway), overdue items from work_items_open_due_idx, and
-- nothing reads items by their update time through an index. Dropping an index rewrites no row: nothing to backfill.
-- The drops run after the first open (`-- after open:`), in a write transaction of their own behind the reads: dropping
-- an index reads every one of its pages, which can hold the first open of a 10,000-engineer database for seconds when
-- its pages are not cached. Until then the indexes are kept up to date as before. The count is max(rowid), an estimate
-- read in a moment.

-- after open: SELECT coalesce(max(rowid), 0) FROM `work_items`
DROP INDEX IF EXISTS `work_items_updated_idx`;
DROP INDEX IF EXISTS `work_items_due_idx`;
DROP INDEX IF EXISTS `work_items_id_people_idx`;
DROP INDEX IF EXISTS `work_items_pr_created_author_idx`;
