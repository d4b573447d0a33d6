CREATE TABLE `team_leads` (
	`workspace` text NOT NULL,
	`team_id` text NOT NULL,
	`person_id` text NOT NULL,
	PRIMARY KEY(`workspace`, `team_id`, `person_id`)
);
--> statement-breakpoint
CREATE INDEX `team_leads_person_idx` ON `team_leads` (`workspace`,`person_id`);
