DROP INDEX `work_items_repository_merged_idx`;
--> statement-breakpoint
CREATE INDEX `work_items_repository_merged_idx` ON `work_items` (`workspace`,`repository_id`,`merged_at`,`kind`,`created_at`,`first_commit_at`,`ready_at`,`first_review_at`,`additions`,`deletions`,`id`);
