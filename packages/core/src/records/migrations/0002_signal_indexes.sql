CREATE INDEX `work_items_kind_state_idx` ON `work_items` (`workspace`,`kind`,`state`);
--> statement-breakpoint
CREATE INDEX `work_items_status_category_idx` ON `work_items` (`workspace`,`status_category`);
--> statement-breakpoint
CREATE INDEX `work_items_due_idx` ON `work_items` (`workspace`,`due_at`);
