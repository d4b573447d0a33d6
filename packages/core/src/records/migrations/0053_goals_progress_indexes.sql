CREATE INDEX `work_items_parent_idx` ON `work_items` (`workspace`,`parent`,`kind`,`team_id`,`status_category`,`story_points`,`merged_at`,`resolved_at`,`closed_at`) WHERE parent IS NOT NULL;
--> statement-breakpoint
CREATE INDEX `work_items_labels_idx` ON `work_items` (`workspace`,`labels`,`kind`,`team_id`,`status_category`,`story_points`,`merged_at`,`resolved_at`,`closed_at`) WHERE labels IS NOT NULL;
--> statement-breakpoint
CREATE INDEX `work_items_done_idx` ON `work_items` (`workspace`,`resolved_at`,`kind`,`team_id`,`story_points`,`closed_at`,`status_category`) WHERE status_category = 'done';
