CREATE TABLE `oauth_consents` (
	`workspace` text NOT NULL,
	`person_id` text NOT NULL,
	`client_id` text NOT NULL,
	`scopes` text NOT NULL,
	`client_name` text,
	`redirect_uri` text NOT NULL,
	`created_at` integer NOT NULL,
	`last_used_at` integer,
	PRIMARY KEY(`workspace`, `person_id`, `client_id`, `scopes`)
);
