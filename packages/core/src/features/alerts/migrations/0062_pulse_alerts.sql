CREATE TABLE `alerts_muted` (
	`workspace` text NOT NULL,
	`person_id` text NOT NULL,
	`muted_at` integer NOT NULL,
	PRIMARY KEY(`workspace`, `person_id`)
);
--> statement-breakpoint
CREATE TABLE `alerts_sent` (
	`workspace` text NOT NULL,
	`event` text NOT NULL,
	`recipient` text NOT NULL,
	`kind` text NOT NULL,
	`sent_at` integer NOT NULL,
	PRIMARY KEY(`workspace`, `event`, `recipient`)
);
