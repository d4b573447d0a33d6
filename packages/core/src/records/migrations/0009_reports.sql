ALTER TABLE `people` ADD `time_zone` text;
--> statement-breakpoint
ALTER TABLE `people` ADD `time_zone_source` text;
