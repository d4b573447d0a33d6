CREATE TABLE `report_reminders` (
	`workspace` text NOT NULL,
	`person_id` text NOT NULL,
	`day` text NOT NULL,
	`sent_at` integer NOT NULL,
	`approval_id` text,
	PRIMARY KEY(`workspace`, `person_id`, `day`)
);
