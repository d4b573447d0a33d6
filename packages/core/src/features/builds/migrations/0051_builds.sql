CREATE TABLE `builds` (
	`workspace` text NOT NULL,
	`id` text NOT NULL,
	`repository_id` text NOT NULL,
	`workflow` text NOT NULL,
	`job` text,
	`commit_sha` text NOT NULL,
	`pull_request_id` text,
	`status` text NOT NULL,
	`conclusion` text,
	`started_at` integer,
	`completed_at` integer,
	`attempt` integer NOT NULL,
	PRIMARY KEY(`workspace`, `id`)
);
--> statement-breakpoint
CREATE INDEX `builds_completed_idx` ON `builds` (`workspace`,`completed_at`);
--> statement-breakpoint
CREATE INDEX `builds_commit_idx` ON `builds` (`workspace`,`repository_id`,`commit_sha`,`workflow`,`job`);
--> statement-breakpoint
CREATE INDEX `builds_pull_request_idx` ON `builds` (`workspace`,`pull_request_id`);
