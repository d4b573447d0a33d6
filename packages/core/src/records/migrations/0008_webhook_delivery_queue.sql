ALTER TABLE `webhook_deliveries` ADD `headers` text;
--> statement-breakpoint
ALTER TABLE `webhook_deliveries` ADD `body` text;
--> statement-breakpoint
ALTER TABLE `webhook_deliveries` ADD `attempts` integer DEFAULT 0 NOT NULL;
--> statement-breakpoint
ALTER TABLE `webhook_deliveries` ADD `next_attempt_at` integer;
--> statement-breakpoint
ALTER TABLE `webhook_deliveries` ADD `last_error` text;
--> statement-breakpoint
ALTER TABLE `webhook_deliveries` ADD `attempted_at` integer;
--> statement-breakpoint
CREATE INDEX `webhook_deliveries_due_idx` ON `webhook_deliveries` (`workspace`,`status`,`next_attempt_at`);
