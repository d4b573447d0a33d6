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
CREATE INDEX `builds_completed_idx` ON `builds` (`workspace`,`completed_at`);--> statement-breakpoint
CREATE INDEX `builds_commit_idx` ON `builds` (`workspace`,`repository_id`,`commit_sha`,`workflow`,`job`);--> statement-breakpoint
CREATE INDEX `builds_pull_request_idx` ON `builds` (`workspace`,`pull_request_id`);--> statement-breakpoint
CREATE TRIGGER `builds_changes_insert` AFTER INSERT ON `builds` BEGIN
  INSERT INTO `change_counters` (`workspace`, `table_name`, `version`) VALUES (new.`workspace`, 'builds', 1)
    ON CONFLICT (`workspace`, `table_name`) DO UPDATE SET `version` = `version` + 1;
END;
--> statement-breakpoint
CREATE TRIGGER `builds_changes_update` AFTER UPDATE ON `builds` BEGIN
  INSERT INTO `change_counters` (`workspace`, `table_name`, `version`) VALUES (new.`workspace`, 'builds', 1)
    ON CONFLICT (`workspace`, `table_name`) DO UPDATE SET `version` = `version` + 1;
END;
--> statement-breakpoint
CREATE TRIGGER `builds_changes_delete` AFTER DELETE ON `builds` BEGIN
  INSERT INTO `change_counters` (`workspace`, `table_name`, `version`) VALUES (old.`workspace`, 'builds', 1)
    ON CONFLICT (`workspace`, `table_name`) DO UPDATE SET `version` = `version` + 1;
END;
