CREATE TABLE `ai_feedback` (
	`workspace` text NOT NULL,
	`id` text NOT NULL,
	`person_id` text NOT NULL,
	`category` text NOT NULL,
	`tool` text,
	`text` text NOT NULL,
	`pull_request` integer,
	`repository_id` text,
	`paths` text,
	`created_at` integer NOT NULL,
	PRIMARY KEY(`workspace`, `id`)
);
--> statement-breakpoint
CREATE INDEX `ai_feedback_created_idx` ON `ai_feedback` (`workspace`,`created_at`);
--> statement-breakpoint
CREATE INDEX `ai_feedback_repository_created_idx` ON `ai_feedback` (`workspace`,`repository_id`,`created_at`);
--> statement-breakpoint
CREATE INDEX `ai_feedback_person_idx` ON `ai_feedback` (`workspace`,`person_id`);
