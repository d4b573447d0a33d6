ALTER TABLE `work_items` ADD `in_progress_until` integer;
--> statement-breakpoint
UPDATE `work_items` SET `in_progress_until` = s.until FROM (SELECT workspace, work_item_id, CASE WHEN count(*) = count(next_at) THEN max(next_at) END AS until FROM `transitions` WHERE to_category = 'in_progress' GROUP BY workspace, work_item_id) AS s WHERE `work_items`.workspace = s.workspace AND `work_items`.id = s.work_item_id AND s.until IS NOT NULL;
--> statement-breakpoint
CREATE INDEX `work_items_team_in_progress_idx` ON `work_items` (`workspace`,`team_id`,`in_progress_until`,`first_in_progress_at`,`kind`,`id`,`key`);
--> statement-breakpoint
CREATE INDEX `work_items_unmerged_pr_idx` ON `work_items` (`workspace`,`repository_id`,`created_at`,`closed_at`,`draft`,`id`,`key`,`kind`,`merged_at`) WHERE kind = 'pull_request' AND merged_at IS NULL;
