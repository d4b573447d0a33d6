CREATE TABLE `agreement_nudges` (
	`workspace` text NOT NULL,
	`agreement_id` text NOT NULL,
	`fingerprint` text NOT NULL,
	`opened_at` integer NOT NULL,
	`recipient` text NOT NULL,
	`stage` text NOT NULL,
	`team_id` text,
	`sent_at` integer NOT NULL,
	`approval_id` text,
	PRIMARY KEY(`workspace`, `agreement_id`, `fingerprint`, `opened_at`, `recipient`, `stage`)
);
--> statement-breakpoint
CREATE INDEX `agreement_nudges_sent_idx` ON `agreement_nudges` (`workspace`,`agreement_id`,`sent_at`);
--> statement-breakpoint
CREATE TABLE `agreement_starts` (
	`workspace` text NOT NULL,
	`agreement_id` text NOT NULL,
	`started_at` integer NOT NULL,
	PRIMARY KEY(`workspace`, `agreement_id`)
);
