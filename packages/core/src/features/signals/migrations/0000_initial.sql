CREATE TABLE `signals` (
	`workspace` text NOT NULL,
	`fingerprint` text NOT NULL,
	`kind` text NOT NULL,
	`severity` text NOT NULL,
	`subject_type` text NOT NULL,
	`subject_id` text NOT NULL,
	`team_id` text,
	`title` text NOT NULL,
	`evidence` text NOT NULL,
	`status` text NOT NULL,
	`first_seen_at` integer NOT NULL,
	`last_seen_at` integer NOT NULL,
	`resolved_at` integer,
	PRIMARY KEY(`workspace`, `fingerprint`)
);
--> statement-breakpoint
CREATE INDEX `signals_status_idx` ON `signals` (`workspace`,`status`,`kind`);
