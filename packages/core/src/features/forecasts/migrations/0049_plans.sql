CREATE TABLE `absences` (
	`workspace` text NOT NULL,
	`person_id` text NOT NULL,
	`from_day` text NOT NULL,
	`to_day` text NOT NULL,
	PRIMARY KEY(`workspace`, `person_id`, `from_day`)
);
