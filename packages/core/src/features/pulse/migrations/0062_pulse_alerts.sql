CREATE TABLE `pulse_answers` (
	`workspace` text NOT NULL,
	`round_id` text NOT NULL,
	`person_id` text NOT NULL,
	`answers` text NOT NULL,
	`comment` text,
	`share_comment` integer NOT NULL,
	`answered_at` integer NOT NULL,
	PRIMARY KEY(`workspace`, `round_id`, `person_id`)
);
--> statement-breakpoint
CREATE INDEX `pulse_answers_person_idx` ON `pulse_answers` (`workspace`,`person_id`);
--> statement-breakpoint
CREATE TABLE `pulse_invites` (
	`workspace` text NOT NULL,
	`round_id` text NOT NULL,
	`person_id` text NOT NULL,
	`sent_at` integer NOT NULL,
	PRIMARY KEY(`workspace`, `round_id`, `person_id`)
);
--> statement-breakpoint
CREATE INDEX `pulse_invites_person_idx` ON `pulse_invites` (`workspace`,`person_id`);
--> statement-breakpoint
CREATE TABLE `pulse_rounds` (
	`workspace` text NOT NULL,
	`id` text NOT NULL,
	`started_at` integer NOT NULL,
	`questions` text NOT NULL,
	PRIMARY KEY(`workspace`, `id`)
);
--> statement-breakpoint
CREATE INDEX `pulse_rounds_started_idx` ON `pulse_rounds` (`workspace`,`started_at`);
