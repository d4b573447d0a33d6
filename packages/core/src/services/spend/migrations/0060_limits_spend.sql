CREATE TABLE `spend` (
	`workspace` text NOT NULL,
	`id` text NOT NULL,
	`month` text NOT NULL,
	`at` integer NOT NULL,
	`kind` text NOT NULL,
	`source` text NOT NULL,
	`units` integer,
	`usd` real NOT NULL,
	`approval_id` text,
	PRIMARY KEY(`workspace`, `id`)
);
--> statement-breakpoint
CREATE INDEX `spend_month_idx` ON `spend` (`workspace`,`month`);
