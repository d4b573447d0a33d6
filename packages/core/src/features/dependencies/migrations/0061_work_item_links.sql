CREATE TABLE `work_item_links` (
	`workspace` text NOT NULL,
	`from_id` text NOT NULL,
	`to_id` text NOT NULL,
	`kind` text NOT NULL,
	PRIMARY KEY(`workspace`, `from_id`, `to_id`, `kind`)
);
--> statement-breakpoint
CREATE INDEX `work_item_links_to_idx` ON `work_item_links` (`workspace`,`to_id`,`kind`,`from_id`);
