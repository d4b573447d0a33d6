DROP INDEX `work_items_team_resolved_idx`;
--> statement-breakpoint
DROP INDEX `work_items_author_idx`;
--> statement-breakpoint
CREATE INDEX `work_items_open_due_idx` ON `work_items` (`workspace`,`due_at`) WHERE resolved_at IS NULL;
--> statement-breakpoint
CREATE INDEX `work_items_id_people_idx` ON `work_items` (`workspace`,`id`,`kind`,`author_id`,`team_id`,`repository_id`);
--> statement-breakpoint
CREATE INDEX `work_items_pr_created_author_idx` ON `work_items` (`workspace`,`created_at`,`author_id`) WHERE kind = 'pull_request' AND author_id IS NOT NULL;
--> statement-breakpoint
CREATE INDEX `work_items_pr_merged_author_idx` ON `work_items` (`workspace`,`merged_at`,`author_id`) WHERE kind = 'pull_request' AND author_id IS NOT NULL;
--> statement-breakpoint
CREATE INDEX `work_items_team_resolved_idx` ON `work_items` (`workspace`,`team_id`,`resolved_at`,`kind`,`id`);
--> statement-breakpoint
CREATE INDEX `work_items_author_idx` ON `work_items` (`workspace`,`author_id`,`id`);
