CREATE TABLE `report_revisions` (
	`workspace` text NOT NULL,
	`report_id` text NOT NULL,
	`seq` integer NOT NULL,
	`text` text NOT NULL,
	`blockers` text,
	`source` text NOT NULL,
	`created_at` integer NOT NULL,
	`replaced_at` integer NOT NULL,
	PRIMARY KEY(`workspace`, `report_id`, `seq`)
);
--> statement-breakpoint
CREATE TABLE `reports` (
	`workspace` text NOT NULL,
	`id` text NOT NULL,
	`doc_id` integer NOT NULL,
	`person_id` text NOT NULL,
	`day` text NOT NULL,
	`text` text NOT NULL,
	`blockers` text,
	`source` text NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	PRIMARY KEY(`workspace`, `id`)
);
--> statement-breakpoint
CREATE UNIQUE INDEX `reports_person_day_idx` ON `reports` (`workspace`,`person_id`,`day`);
--> statement-breakpoint
CREATE UNIQUE INDEX `reports_doc_idx` ON `reports` (`doc_id`);
--> statement-breakpoint
CREATE INDEX `reports_day_idx` ON `reports` (`workspace`,`day`);
