-- Two indexes of work_items hold only the rows their readers ask for: the items with a status category (every
-- reader of work_items_status_category_idx asks for one category; a pull request has none) and the issues not done
-- (item.blocked, the one reader of work_items_lower_state_idx, asks for those with the index's own condition). On the
-- large demo's tenth of a 10,000-engineer organisation: 12.1 -> 6.9 and 7.8 -> 0.2 MB. Each is built again from the
-- table after the first open (`-- after open:`), a write transaction of its own behind the reads, under the same name
-- in that one transaction: until then readers use the old one. Nothing to backfill.

-- after open: SELECT count(*) FROM `work_items`
DROP INDEX IF EXISTS `work_items_status_category_idx`;
CREATE INDEX IF NOT EXISTS `work_items_status_category_idx` ON `work_items` (`workspace`,`status_category`,`team_id`,`first_in_progress_at`) WHERE status_category IS NOT NULL;
--> statement-breakpoint
-- after open: SELECT count(*) FROM `work_items`
DROP INDEX IF EXISTS `work_items_lower_state_idx`;
CREATE INDEX IF NOT EXISTS `work_items_lower_state_idx` ON `work_items` (`workspace`,lower("state")) WHERE status_category IN ('todo', 'in_progress');
