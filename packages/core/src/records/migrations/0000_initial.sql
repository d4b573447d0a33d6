CREATE TABLE `accounts` (
	`workspace` text NOT NULL,
	`provider` text NOT NULL,
	`external_id` text NOT NULL,
	`login` text,
	`person_id` text NOT NULL,
	PRIMARY KEY(`workspace`, `provider`, `external_id`)
);
--> statement-breakpoint
CREATE INDEX `accounts_person_idx` ON `accounts` (`workspace`,`person_id`);
--> statement-breakpoint
CREATE TABLE `deployment_pull_requests` (
	`workspace` text NOT NULL,
	`deployment_id` text NOT NULL,
	`work_item_id` text NOT NULL,
	PRIMARY KEY(`workspace`, `deployment_id`, `work_item_id`)
);
--> statement-breakpoint
CREATE INDEX `deployment_pull_requests_item_idx` ON `deployment_pull_requests` (`workspace`,`work_item_id`);
--> statement-breakpoint
CREATE TABLE `deployments` (
	`workspace` text NOT NULL,
	`id` text NOT NULL,
	`repository_id` text NOT NULL,
	`environment` text NOT NULL,
	`status` text NOT NULL,
	`started_at` integer,
	`finished_at` integer NOT NULL,
	`sha` text,
	`has_pull_request_list` integer DEFAULT 0 NOT NULL,
	PRIMARY KEY(`workspace`, `id`)
);
--> statement-breakpoint
CREATE INDEX `deployments_finished_idx` ON `deployments` (`workspace`,`finished_at`);
--> statement-breakpoint
CREATE INDEX `deployments_repository_finished_idx` ON `deployments` (`workspace`,`repository_id`,`finished_at`);
--> statement-breakpoint
CREATE TABLE `incidents` (
	`workspace` text NOT NULL,
	`id` text NOT NULL,
	`title` text NOT NULL,
	`severity` text,
	`created_at` integer NOT NULL,
	`resolved_at` integer,
	`repository_id` text,
	`deployment_id` text,
	PRIMARY KEY(`workspace`, `id`)
);
--> statement-breakpoint
CREATE INDEX `incidents_created_idx` ON `incidents` (`workspace`,`created_at`);
--> statement-breakpoint
CREATE INDEX `incidents_deployment_idx` ON `incidents` (`workspace`,`deployment_id`);
--> statement-breakpoint
CREATE TABLE `memberships` (
	`workspace` text NOT NULL,
	`team_id` text NOT NULL,
	`person_id` text NOT NULL,
	PRIMARY KEY(`workspace`, `team_id`, `person_id`)
);
--> statement-breakpoint
CREATE INDEX `memberships_person_idx` ON `memberships` (`workspace`,`person_id`);
--> statement-breakpoint
CREATE TABLE `people` (
	`workspace` text NOT NULL,
	`id` text NOT NULL,
	`name` text NOT NULL,
	`email` text,
	PRIMARY KEY(`workspace`, `id`)
);
--> statement-breakpoint
CREATE INDEX `people_email_idx` ON `people` (`workspace`,`email`);
--> statement-breakpoint
CREATE TABLE `repositories` (
	`workspace` text NOT NULL,
	`id` text NOT NULL,
	`team_id` text,
	PRIMARY KEY(`workspace`, `id`)
);
--> statement-breakpoint
CREATE INDEX `repositories_team_idx` ON `repositories` (`workspace`,`team_id`);
--> statement-breakpoint
CREATE TABLE `reviews` (
	`workspace` text NOT NULL,
	`work_item_id` text NOT NULL,
	`seq` integer NOT NULL,
	`reviewer_id` text NOT NULL,
	`state` text NOT NULL,
	`submitted_at` integer NOT NULL,
	PRIMARY KEY(`workspace`, `work_item_id`, `seq`)
);
--> statement-breakpoint
CREATE INDEX `reviews_reviewer_idx` ON `reviews` (`workspace`,`reviewer_id`,`submitted_at`);
--> statement-breakpoint
CREATE TABLE `sprint_committed_items` (
	`workspace` text NOT NULL,
	`sprint_id` text NOT NULL,
	`work_item_id` text NOT NULL,
	PRIMARY KEY(`workspace`, `sprint_id`, `work_item_id`)
);
--> statement-breakpoint
CREATE TABLE `sprints` (
	`workspace` text NOT NULL,
	`id` text NOT NULL,
	`name` text NOT NULL,
	`team_id` text NOT NULL,
	`state` text NOT NULL,
	`start_at` integer NOT NULL,
	`end_at` integer NOT NULL,
	`completed_at` integer,
	PRIMARY KEY(`workspace`, `id`)
);
--> statement-breakpoint
CREATE INDEX `sprints_team_completed_idx` ON `sprints` (`workspace`,`team_id`,`completed_at`);
--> statement-breakpoint
CREATE TABLE `sync_cursors` (
	`workspace` text NOT NULL,
	`connector` text NOT NULL,
	`key` text NOT NULL,
	`value` text NOT NULL,
	`updated_at` integer NOT NULL,
	PRIMARY KEY(`workspace`, `connector`, `key`)
);
--> statement-breakpoint
CREATE TABLE `teams` (
	`workspace` text NOT NULL,
	`id` text NOT NULL,
	`name` text NOT NULL,
	PRIMARY KEY(`workspace`, `id`)
);
--> statement-breakpoint
CREATE TABLE `transitions` (
	`workspace` text NOT NULL,
	`work_item_id` text NOT NULL,
	`seq` integer NOT NULL,
	`at` integer NOT NULL,
	`from_status` text,
	`to_status` text NOT NULL,
	`from_category` text,
	`to_category` text NOT NULL,
	PRIMARY KEY(`workspace`, `work_item_id`, `seq`)
);
--> statement-breakpoint
CREATE INDEX `transitions_at_idx` ON `transitions` (`workspace`,`at`);
--> statement-breakpoint
CREATE TABLE `webhook_deliveries` (
	`workspace` text NOT NULL,
	`provider` text NOT NULL,
	`delivery_id` text NOT NULL,
	`event` text NOT NULL,
	`received_at` integer NOT NULL,
	`status` text NOT NULL,
	PRIMARY KEY(`workspace`, `provider`, `delivery_id`)
);
--> statement-breakpoint
CREATE TABLE `work_item_assignees` (
	`workspace` text NOT NULL,
	`work_item_id` text NOT NULL,
	`person_id` text NOT NULL,
	PRIMARY KEY(`workspace`, `work_item_id`, `person_id`)
);
--> statement-breakpoint
CREATE INDEX `work_item_assignees_person_idx` ON `work_item_assignees` (`workspace`,`person_id`);
--> statement-breakpoint
CREATE TABLE `work_items` (
	`workspace` text NOT NULL,
	`id` text NOT NULL,
	`source` text NOT NULL,
	`kind` text NOT NULL,
	`key` text NOT NULL,
	`title` text NOT NULL,
	`state` text NOT NULL,
	`status_category` text,
	`team_id` text,
	`repository_id` text,
	`author_id` text,
	`created_at` integer NOT NULL,
	`updated_at` integer,
	`first_commit_at` integer,
	`ready_at` integer,
	`merged_at` integer,
	`closed_at` integer,
	`resolved_at` integer,
	`due_at` integer,
	`draft` integer,
	`additions` integer,
	`deletions` integer,
	`story_points` real,
	`sprint_id` text,
	`labels` text,
	`flagged` integer,
	`parent` text,
	`head_sha` text,
	`url` text,
	`body` text,
	PRIMARY KEY(`workspace`, `id`)
);
--> statement-breakpoint
CREATE INDEX `work_items_kind_merged_idx` ON `work_items` (`workspace`,`kind`,`merged_at`);
--> statement-breakpoint
CREATE INDEX `work_items_repository_merged_idx` ON `work_items` (`workspace`,`repository_id`,`merged_at`);
--> statement-breakpoint
CREATE INDEX `work_items_team_resolved_idx` ON `work_items` (`workspace`,`team_id`,`resolved_at`);
--> statement-breakpoint
CREATE INDEX `work_items_created_idx` ON `work_items` (`workspace`,`created_at`);
--> statement-breakpoint
CREATE INDEX `work_items_author_idx` ON `work_items` (`workspace`,`author_id`);
--> statement-breakpoint
CREATE INDEX `work_items_key_idx` ON `work_items` (`workspace`,`key`);
--> statement-breakpoint
CREATE INDEX `work_items_sprint_idx` ON `work_items` (`workspace`,`sprint_id`);
--> statement-breakpoint
CREATE INDEX `work_items_updated_idx` ON `work_items` (`workspace`,`updated_at`);
