CREATE TABLE `tokens` (
	`workspace` text NOT NULL,
	`id` text NOT NULL,
	`person_id` text NOT NULL,
	`scopes` text NOT NULL,
	`token_hash` text NOT NULL,
	`created_at` integer NOT NULL,
	`expires_at` integer,
	`revoked_at` integer,
	PRIMARY KEY(`workspace`, `id`)
);
--> statement-breakpoint
CREATE INDEX `tokens_hash_idx` ON `tokens` (`token_hash`);
