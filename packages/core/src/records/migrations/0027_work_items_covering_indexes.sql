DROP INDEX `work_items_resolved_idx`;
--> statement-breakpoint
DROP INDEX `work_items_sprint_idx`;
--> statement-breakpoint
CREATE INDEX `work_items_resolved_idx` ON `work_items` (`workspace`,`resolved_at`,`kind`,`id`,`key`);
--> statement-breakpoint
CREATE INDEX `work_items_sprint_idx` ON `work_items` (`workspace`,`sprint_id`,`id`,`story_points`,`resolved_at`,`key`);
