ALTER TABLE `signals` ADD `acked_by` text;
--> statement-breakpoint
ALTER TABLE `signals` ADD `acked_at` integer;
--> statement-breakpoint
ALTER TABLE `signals` ADD `snoozed_until` integer;
--> statement-breakpoint
ALTER TABLE `signals` ADD `owner` text;
