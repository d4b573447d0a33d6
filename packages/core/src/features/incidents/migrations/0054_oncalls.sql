CREATE TABLE `oncalls` (
	`workspace` text NOT NULL,
	`source` text NOT NULL,
	`escalation_policy` text NOT NULL,
	`escalation_policy_name` text,
	`level` integer NOT NULL,
	`schedule` text NOT NULL,
	`schedule_name` text,
	`service` text NOT NULL,
	`team_id` text,
	`person_id` text NOT NULL,
	`start_at` integer NOT NULL,
	`end_at` integer,
	PRIMARY KEY(`workspace`, `source`, `escalation_policy`, `level`, `schedule`, `service`, `person_id`, `start_at`)
);
--> statement-breakpoint
CREATE INDEX `oncalls_service_idx` ON `oncalls` (`workspace`,`service`,`start_at`);
--> statement-breakpoint
CREATE INDEX `oncalls_team_idx` ON `oncalls` (`workspace`,`team_id`,`start_at`);
--> statement-breakpoint
CREATE INDEX `oncalls_person_idx` ON `oncalls` (`workspace`,`person_id`);
