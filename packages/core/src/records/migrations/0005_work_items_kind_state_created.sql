DROP INDEX `work_items_kind_state_idx`;
--> statement-breakpoint
CREATE INDEX `work_items_kind_state_created_idx` ON `work_items` (`workspace`,`kind`,`state`,`created_at`);
