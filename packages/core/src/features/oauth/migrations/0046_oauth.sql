CREATE TABLE `oauth_clients` (
	`workspace` text NOT NULL,
	`client_id` text NOT NULL,
	`name` text,
	`redirect_uris` text NOT NULL,
	`created_at` integer NOT NULL,
	PRIMARY KEY(`workspace`, `client_id`)
);
--> statement-breakpoint
CREATE TABLE `oauth_grants` (
	`workspace` text NOT NULL,
	`id` text NOT NULL,
	`person_id` text NOT NULL,
	`client_id` text NOT NULL,
	`client_name` text,
	`scopes` text NOT NULL,
	`account` text NOT NULL,
	`created_at` integer NOT NULL,
	`last_used_at` integer,
	`revoked_at` integer,
	`revoked_reason` text,
	PRIMARY KEY(`workspace`, `id`)
);
--> statement-breakpoint
CREATE INDEX `oauth_grants_person_idx` ON `oauth_grants` (`workspace`,`person_id`);
--> statement-breakpoint
CREATE TABLE `oauth_secrets` (
	`workspace` text NOT NULL,
	`hash` text NOT NULL,
	`kind` text NOT NULL,
	`grant_id` text,
	`data` text,
	`created_at` integer NOT NULL,
	`expires_at` integer NOT NULL,
	`used_at` integer,
	PRIMARY KEY(`workspace`, `hash`)
);
--> statement-breakpoint
CREATE INDEX `oauth_secrets_grant_idx` ON `oauth_secrets` (`workspace`,`grant_id`);
