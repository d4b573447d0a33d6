CREATE TABLE `erasures` (
	`workspace` text NOT NULL,
	`key_hash` text NOT NULL,
	`pseudonym` text NOT NULL,
	`erased_at` integer NOT NULL,
	PRIMARY KEY(`workspace`, `key_hash`)
);
--> statement-breakpoint
CREATE INDEX `erasures_pseudonym_idx` ON `erasures` (`workspace`,`pseudonym`);
