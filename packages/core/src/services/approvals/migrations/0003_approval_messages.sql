CREATE TABLE `approval_messages` (
	`workspace` text NOT NULL,
	`approval_id` text NOT NULL,
	`channel` text NOT NULL,
	`destination` text NOT NULL,
	`message_id` text,
	`shown_version` integer,
	`shown_status` text,
	`settled` integer DEFAULT 0 NOT NULL,
	`claimed_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	PRIMARY KEY(`workspace`, `approval_id`, `channel`, `destination`)
);
--> statement-breakpoint
CREATE INDEX `approval_messages_open_idx` ON `approval_messages` (`workspace`,`channel`,`settled`);
--> statement-breakpoint
ALTER TABLE `approvals` ADD `escalation` text;
