CREATE TABLE `policy_drift` (
	`workspace` text PRIMARY KEY NOT NULL,
	`configured_hash` text NOT NULL,
	`active_version` integer NOT NULL,
	`seen_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `policy_versions` (
	`workspace` text NOT NULL,
	`version` integer NOT NULL,
	`hash` text NOT NULL,
	`text` text NOT NULL,
	`proposed_by` text NOT NULL,
	`approved_by` text NOT NULL,
	`approval_id` text,
	`at` integer NOT NULL,
	PRIMARY KEY(`workspace`, `version`)
);
--> statement-breakpoint
ALTER TABLE `approvals` ADD `model_version` text;
--> statement-breakpoint
ALTER TABLE `approvals` ADD `trace_id` text;
