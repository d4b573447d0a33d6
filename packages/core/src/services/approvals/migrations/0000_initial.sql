CREATE TABLE `approvals` (
	`workspace` text NOT NULL,
	`id` text NOT NULL,
	`action_type` text NOT NULL,
	`target` text NOT NULL,
	`params` text NOT NULL,
	`reason` text NOT NULL,
	`requested_by` text NOT NULL,
	`status` text NOT NULL,
	`mode` text NOT NULL,
	`risk` text NOT NULL,
	`policy_hash` text NOT NULL,
	`created_at` integer NOT NULL,
	`expires_at` integer,
	`decided_at` integer,
	`decided_by` text,
	`decision_reason` text,
	`executed_at` integer,
	`result` text,
	`error` text,
	`idempotency_key` text NOT NULL,
	`preconditions` text,
	`version` integer DEFAULT 0 NOT NULL,
	PRIMARY KEY(`workspace`, `id`)
);
--> statement-breakpoint
CREATE INDEX `approvals_status_idx` ON `approvals` (`workspace`,`status`,`created_at`);
