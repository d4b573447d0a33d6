CREATE TABLE `risks` (
	`workspace` text NOT NULL,
	`id` text NOT NULL,
	`team_id` text NOT NULL,
	`title` text NOT NULL,
	`severity` text NOT NULL,
	`likelihood` text NOT NULL,
	`owner_id` text,
	`mitigation` text,
	`status` text NOT NULL,
	`review_by` text,
	`source` text NOT NULL,
	`evidence` text NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	PRIMARY KEY(`workspace`, `id`)
);
--> statement-breakpoint
CREATE INDEX `risks_team_status_idx` ON `risks` (`workspace`,`team_id`,`status`);--> statement-breakpoint
CREATE INDEX `risks_owner_idx` ON `risks` (`workspace`,`owner_id`);--> statement-breakpoint
CREATE TRIGGER `risks_changes_insert` AFTER INSERT ON `risks` BEGIN
  INSERT INTO `change_counters` (`workspace`, `table_name`, `version`) VALUES (new.`workspace`, 'risks', 1)
    ON CONFLICT (`workspace`, `table_name`) DO UPDATE SET `version` = `version` + 1;
END;
--> statement-breakpoint
CREATE TRIGGER `risks_changes_update` AFTER UPDATE ON `risks` BEGIN
  INSERT INTO `change_counters` (`workspace`, `table_name`, `version`) VALUES (new.`workspace`, 'risks', 1)
    ON CONFLICT (`workspace`, `table_name`) DO UPDATE SET `version` = `version` + 1;
END;
--> statement-breakpoint
CREATE TRIGGER `risks_changes_delete` AFTER DELETE ON `risks` BEGIN
  INSERT INTO `change_counters` (`workspace`, `table_name`, `version`) VALUES (old.`workspace`, 'risks', 1)
    ON CONFLICT (`workspace`, `table_name`) DO UPDATE SET `version` = `version` + 1;
END;
