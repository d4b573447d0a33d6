ALTER TABLE `work_items` ADD `paths` text;
--> statement-breakpoint
ALTER TABLE `work_items` ADD `components` text;
