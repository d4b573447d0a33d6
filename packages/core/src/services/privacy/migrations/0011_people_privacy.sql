CREATE TABLE `person_opt_outs` (
	`workspace` text NOT NULL,
	`person_id` text NOT NULL,
	`kind` text NOT NULL,
	`source` text NOT NULL,
	`created_at` integer NOT NULL,
	PRIMARY KEY(`workspace`, `person_id`, `kind`, `source`)
);
