CREATE TABLE `risks` (
	`workspace` text NOT NULL,
	`id` text NOT NULL,
	`team_id` text NOT NULL,
	`title` text NOT NULL,
	`severity` text NOT NULL,
	`likelihood` text NOT NULL,
	`owner_id` text,
	`mitigation` text,
	`status` text NOT NULL,
	`review_by` text,
	`source` text NOT NULL,
	`evidence` text NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	PRIMARY KEY(`workspace`, `id`)
);
--> statement-breakpoint
CREATE INDEX `risks_team_status_idx` ON `risks` (`workspace`,`team_id`,`status`);
--> statement-breakpoint
CREATE INDEX `risks_owner_idx` ON `risks` (`workspace`,`owner_id`);
