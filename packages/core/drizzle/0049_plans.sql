CREATE TABLE `absences` (
	`workspace` text NOT NULL,
	`person_id` text NOT NULL,
	`from_day` text NOT NULL,
	`to_day` text NOT NULL,
	PRIMARY KEY(`workspace`, `person_id`, `from_day`)
);
--> statement-breakpoint
CREATE TABLE `goals` (
	`workspace` text NOT NULL,
	`id` text NOT NULL,
	`title` text NOT NULL,
	`team_id` text,
	`parent` text,
	`period` text NOT NULL,
	`owner_id` text,
	`key_results` text NOT NULL,
	`links` text NOT NULL,
	`updated_at` integer NOT NULL,
	PRIMARY KEY(`workspace`, `id`)
);
--> statement-breakpoint
CREATE TABLE `onboarding_messages` (
	`workspace` text NOT NULL,
	`person_id` text NOT NULL,
	`recipient_id` text NOT NULL,
	`proposed_at` integer NOT NULL,
	PRIMARY KEY(`workspace`, `person_id`, `recipient_id`)
);
--> statement-breakpoint
ALTER TABLE `people` ADD `joined_at` integer;