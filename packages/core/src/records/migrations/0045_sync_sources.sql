CREATE TABLE `sync_sources` (
	`workspace` text NOT NULL,
	`connector` text NOT NULL,
	`lease_holder` text,
	`lease_expires_at` integer,
	`last_sync_at` integer,
	`last_sync_ok` integer,
	`last_error` text,
	`last_duration_ms` integer,
	PRIMARY KEY(`workspace`, `connector`)
);
