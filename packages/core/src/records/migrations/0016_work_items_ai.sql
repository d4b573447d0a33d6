ALTER TABLE `work_items` ADD `ai_assisted` integer;
--> statement-breakpoint
ALTER TABLE `work_items` ADD `ai` text;
