DROP INDEX `work_items_team_resolved_idx`;
--> statement-breakpoint
DROP INDEX `work_items_status_category_idx`;
--> statement-breakpoint
ALTER TABLE `work_items` ADD `first_in_progress_at` integer;
--> statement-breakpoint
UPDATE `work_items` SET `first_in_progress_at` = s.first_at FROM (SELECT workspace, work_item_id, min(at) AS first_at FROM `transitions` WHERE to_category = 'in_progress' GROUP BY workspace, work_item_id) AS s WHERE `work_items`.workspace = s.workspace AND `work_items`.id = s.work_item_id;
--> statement-breakpoint
CREATE INDEX `work_items_team_resolved_idx` ON `work_items` (`workspace`,`team_id`,`resolved_at`,`kind`,`id`,`first_in_progress_at`);
--> statement-breakpoint
CREATE INDEX `work_items_status_category_idx` ON `work_items` (`workspace`,`status_category`,`team_id`,`first_in_progress_at`);
--> statement-breakpoint
DROP INDEX `reviews_submitted_idx`;
--> statement-breakpoint
CREATE INDEX `reviews_submitted_idx` ON `reviews` (`workspace`,`submitted_at`,`work_item_id`,`reviewer_id`);
