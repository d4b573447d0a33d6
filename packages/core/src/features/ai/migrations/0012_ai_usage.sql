CREATE TABLE `ai_usage` (
	`workspace` text NOT NULL,
	`day` text NOT NULL,
	`tool` text NOT NULL,
	`subject` text NOT NULL,
	`person_id` text,
	`team_id` text,
	`active_users` integer NOT NULL,
	`interactions` integer NOT NULL,
	`code_generations` integer NOT NULL,
	`acceptances` integer NOT NULL,
	`lines_suggested` integer NOT NULL,
	`lines_accepted` integer NOT NULL,
	PRIMARY KEY(`workspace`, `day`, `tool`, `subject`)
);
--> statement-breakpoint
CREATE INDEX `ai_usage_day_idx` ON `ai_usage` (`workspace`,`day`);
--> statement-breakpoint
CREATE INDEX `ai_usage_person_idx` ON `ai_usage` (`workspace`,`person_id`);
