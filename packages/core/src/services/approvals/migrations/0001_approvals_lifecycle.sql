ALTER TABLE `approvals` ADD `decision` text;
--> statement-breakpoint
ALTER TABLE `approvals` ADD `approvers` text DEFAULT '[]' NOT NULL;
--> statement-breakpoint
ALTER TABLE `approvals` ADD `started_at` integer;
--> statement-breakpoint
ALTER TABLE `approvals` ADD `finished_at` integer;
--> statement-breakpoint
ALTER TABLE `approvals` ADD `error_code` text;
