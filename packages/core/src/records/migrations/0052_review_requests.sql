CREATE TABLE `review_requests` (
	`workspace` text NOT NULL,
	`work_item_id` text NOT NULL,
	`person_id` text NOT NULL,
	PRIMARY KEY(`workspace`, `work_item_id`, `person_id`)
);
