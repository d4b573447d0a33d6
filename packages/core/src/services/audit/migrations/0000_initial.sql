CREATE TABLE `audit_events` (
	`workspace` text NOT NULL,
	`seq` integer NOT NULL,
	`at` integer NOT NULL,
	`type` text NOT NULL,
	`approval_id` text,
	`actor` text NOT NULL,
	`data` text NOT NULL,
	`prev_hash` text NOT NULL,
	`hash` text NOT NULL,
	PRIMARY KEY(`workspace`, `seq`)
);
--> statement-breakpoint
CREATE INDEX `audit_events_approval_idx` ON `audit_events` (`workspace`,`approval_id`);
