ALTER TABLE `work_items` ADD `first_review_at` integer;
--> statement-breakpoint
UPDATE `work_items` SET `first_review_at` = (SELECT min(r.submitted_at) FROM `reviews` r WHERE r.workspace = `work_items`.workspace AND r.work_item_id = `work_items`.id AND r.reviewer_id IS NOT `work_items`.author_id);
--> statement-breakpoint
DROP INDEX `work_items_kind_merged_idx`;
--> statement-breakpoint
CREATE INDEX `work_items_kind_merged_idx` ON `work_items` (`workspace`,`kind`,`merged_at`,`created_at`,`first_commit_at`,`ready_at`,`first_review_at`,`additions`,`deletions`,`repository_id`,`id`);
--> statement-breakpoint
CREATE INDEX `deployments_production_idx` ON `deployments` (`workspace`,`repository_id`,`status`,`finished_at`,`id`,`environment`);
