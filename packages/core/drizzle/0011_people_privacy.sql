CREATE TABLE `erasures` (
	`workspace` text NOT NULL,
	`key_hash` text NOT NULL,
	`pseudonym` text NOT NULL,
	`erased_at` integer NOT NULL,
	PRIMARY KEY(`workspace`, `key_hash`)
);
--> statement-breakpoint
CREATE INDEX `erasures_pseudonym_idx` ON `erasures` (`workspace`,`pseudonym`);--> statement-breakpoint
CREATE TABLE `person_opt_outs` (
	`workspace` text NOT NULL,
	`person_id` text NOT NULL,
	`kind` text NOT NULL,
	`source` text NOT NULL,
	`created_at` integer NOT NULL,
	PRIMARY KEY(`workspace`, `person_id`, `kind`, `source`)
);
