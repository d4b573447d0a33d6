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
