-- person_activity goes (48.5 MB of the large demo's 340 MB, about 1.2 GB at 10,000 engineers): its three kinds of rows
-- are plain reads of work_items (a pull request's author when opened and when merged) and reviews (a reviewer of
-- someone else's item), which its readers (person.after_hours, review.load_imbalance, allocation) read instead, by
-- the indexes those tables have. Its triggers go with this migration; its indexes, then its rows (in batches), then
-- the table itself go after the open, so the first open of a large database is not held by them. No reader reads it:
-- whatever is left of it meanwhile changes no answer.

DROP TRIGGER IF EXISTS `person_activity_item_insert`;
--> statement-breakpoint
DROP TRIGGER IF EXISTS `person_activity_item_update`;
--> statement-breakpoint
DROP TRIGGER IF EXISTS `person_activity_item_delete`;
--> statement-breakpoint
DROP TRIGGER IF EXISTS `person_activity_review_insert`;
--> statement-breakpoint
DROP TRIGGER IF EXISTS `person_activity_review_update`;
--> statement-breakpoint
DROP TRIGGER IF EXISTS `person_activity_review_delete`;
--> statement-breakpoint
-- after open: SELECT count(*) FROM `person_activity`
DROP INDEX IF EXISTS `person_activity_person_idx`;
DROP INDEX IF EXISTS `person_activity_review_idx`;
--> statement-breakpoint
-- in batches: SELECT count(*) FROM `person_activity`
DELETE FROM `person_activity`
  WHERE (workspace, work_item_id, source, seq, person_id) IN (SELECT workspace, work_item_id, source, seq, person_id FROM `person_activity`
    WHERE (workspace, work_item_id) >= (coalesce(:after ->> 0, ''), coalesce(:after ->> 1, ''))
    ORDER BY workspace, work_item_id LIMIT :limit)
  RETURNING json_array(workspace, work_item_id) AS cursor;
--> statement-breakpoint
-- after open: SELECT count(*) FROM `person_activity`
DROP TABLE IF EXISTS `person_activity`;
