CREATE TABLE `survey_responses` (
	`workspace` text NOT NULL,
	`pull_request_id` text NOT NULL,
	`person_id` text NOT NULL,
	`role` text NOT NULL,
	`assisted` text,
	`tools` text,
	`quality` integer,
	`guess` integer,
	`responded_at` integer NOT NULL,
	PRIMARY KEY(`workspace`, `pull_request_id`, `person_id`)
);
--> statement-breakpoint
CREATE TABLE `surveys` (
	`workspace` text NOT NULL,
	`pull_request_id` text NOT NULL,
	`person_id` text NOT NULL,
	`role` text NOT NULL,
	`sent_at` integer NOT NULL,
	`expires_at` integer NOT NULL,
	`answered_at` integer,
	`reveal` text,
	PRIMARY KEY(`workspace`, `pull_request_id`, `person_id`)
);
--> statement-breakpoint
CREATE INDEX `surveys_reveal_idx` ON `surveys` (`workspace`,`reveal`);
