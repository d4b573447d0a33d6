CREATE TABLE `onboarding_messages` (
	`workspace` text NOT NULL,
	`person_id` text NOT NULL,
	`recipient_id` text NOT NULL,
	`proposed_at` integer NOT NULL,
	PRIMARY KEY(`workspace`, `person_id`, `recipient_id`)
);
