-- depends on: records/0000_initial, records/0004_metrics_indexes, features/reports/0009_reports, records/0009_reports, records/0021_signal_bookkeeping
CREATE TABLE `change_counters` (
	`workspace` text NOT NULL,
	`table_name` text NOT NULL,
	`version` integer NOT NULL,
	PRIMARY KEY(`workspace`, `table_name`)
);
--> statement-breakpoint
CREATE TABLE `signal_detector_runs` (
	`workspace` text NOT NULL,
	`kind` text NOT NULL,
	`inputs` text NOT NULL,
	`ran_at` integer NOT NULL,
	PRIMARY KEY(`workspace`, `kind`)
);
--> statement-breakpoint
-- Hand-written: change counters for an incremental ts.signals.refresh(). Every insert, update and delete of a table
-- the signal detectors read bumps its counter for the workspace, in the transaction of the write (an upsert that
-- changes nothing updates no row, so it bumps nothing).
CREATE TRIGGER `teams_changes_insert` AFTER INSERT ON `teams` BEGIN
  INSERT INTO `change_counters` (`workspace`, `table_name`, `version`) VALUES (new.`workspace`, 'teams', 1)
    ON CONFLICT (`workspace`, `table_name`) DO UPDATE SET `version` = `version` + 1;
END;
--> statement-breakpoint
CREATE TRIGGER `teams_changes_update` AFTER UPDATE ON `teams` BEGIN
  INSERT INTO `change_counters` (`workspace`, `table_name`, `version`) VALUES (new.`workspace`, 'teams', 1)
    ON CONFLICT (`workspace`, `table_name`) DO UPDATE SET `version` = `version` + 1;
END;
--> statement-breakpoint
CREATE TRIGGER `teams_changes_delete` AFTER DELETE ON `teams` BEGIN
  INSERT INTO `change_counters` (`workspace`, `table_name`, `version`) VALUES (old.`workspace`, 'teams', 1)
    ON CONFLICT (`workspace`, `table_name`) DO UPDATE SET `version` = `version` + 1;
END;
--> statement-breakpoint
CREATE TRIGGER `people_changes_insert` AFTER INSERT ON `people` BEGIN
  INSERT INTO `change_counters` (`workspace`, `table_name`, `version`) VALUES (new.`workspace`, 'people', 1)
    ON CONFLICT (`workspace`, `table_name`) DO UPDATE SET `version` = `version` + 1;
END;
--> statement-breakpoint
CREATE TRIGGER `people_changes_update` AFTER UPDATE ON `people` BEGIN
  INSERT INTO `change_counters` (`workspace`, `table_name`, `version`) VALUES (new.`workspace`, 'people', 1)
    ON CONFLICT (`workspace`, `table_name`) DO UPDATE SET `version` = `version` + 1;
END;
--> statement-breakpoint
CREATE TRIGGER `people_changes_delete` AFTER DELETE ON `people` BEGIN
  INSERT INTO `change_counters` (`workspace`, `table_name`, `version`) VALUES (old.`workspace`, 'people', 1)
    ON CONFLICT (`workspace`, `table_name`) DO UPDATE SET `version` = `version` + 1;
END;
--> statement-breakpoint
CREATE TRIGGER `memberships_changes_insert` AFTER INSERT ON `memberships` BEGIN
  INSERT INTO `change_counters` (`workspace`, `table_name`, `version`) VALUES (new.`workspace`, 'memberships', 1)
    ON CONFLICT (`workspace`, `table_name`) DO UPDATE SET `version` = `version` + 1;
END;
--> statement-breakpoint
CREATE TRIGGER `memberships_changes_update` AFTER UPDATE ON `memberships` BEGIN
  INSERT INTO `change_counters` (`workspace`, `table_name`, `version`) VALUES (new.`workspace`, 'memberships', 1)
    ON CONFLICT (`workspace`, `table_name`) DO UPDATE SET `version` = `version` + 1;
END;
--> statement-breakpoint
CREATE TRIGGER `memberships_changes_delete` AFTER DELETE ON `memberships` BEGIN
  INSERT INTO `change_counters` (`workspace`, `table_name`, `version`) VALUES (old.`workspace`, 'memberships', 1)
    ON CONFLICT (`workspace`, `table_name`) DO UPDATE SET `version` = `version` + 1;
END;
--> statement-breakpoint
CREATE TRIGGER `repositories_changes_insert` AFTER INSERT ON `repositories` BEGIN
  INSERT INTO `change_counters` (`workspace`, `table_name`, `version`) VALUES (new.`workspace`, 'repositories', 1)
    ON CONFLICT (`workspace`, `table_name`) DO UPDATE SET `version` = `version` + 1;
END;
--> statement-breakpoint
CREATE TRIGGER `repositories_changes_update` AFTER UPDATE ON `repositories` BEGIN
  INSERT INTO `change_counters` (`workspace`, `table_name`, `version`) VALUES (new.`workspace`, 'repositories', 1)
    ON CONFLICT (`workspace`, `table_name`) DO UPDATE SET `version` = `version` + 1;
END;
--> statement-breakpoint
CREATE TRIGGER `repositories_changes_delete` AFTER DELETE ON `repositories` BEGIN
  INSERT INTO `change_counters` (`workspace`, `table_name`, `version`) VALUES (old.`workspace`, 'repositories', 1)
    ON CONFLICT (`workspace`, `table_name`) DO UPDATE SET `version` = `version` + 1;
END;
--> statement-breakpoint
CREATE TRIGGER `work_items_changes_insert` AFTER INSERT ON `work_items` BEGIN
  INSERT INTO `change_counters` (`workspace`, `table_name`, `version`) VALUES (new.`workspace`, 'work_items', 1)
    ON CONFLICT (`workspace`, `table_name`) DO UPDATE SET `version` = `version` + 1;
END;
--> statement-breakpoint
CREATE TRIGGER `work_items_changes_update` AFTER UPDATE ON `work_items` BEGIN
  INSERT INTO `change_counters` (`workspace`, `table_name`, `version`) VALUES (new.`workspace`, 'work_items', 1)
    ON CONFLICT (`workspace`, `table_name`) DO UPDATE SET `version` = `version` + 1;
END;
--> statement-breakpoint
CREATE TRIGGER `work_items_changes_delete` AFTER DELETE ON `work_items` BEGIN
  INSERT INTO `change_counters` (`workspace`, `table_name`, `version`) VALUES (old.`workspace`, 'work_items', 1)
    ON CONFLICT (`workspace`, `table_name`) DO UPDATE SET `version` = `version` + 1;
END;
--> statement-breakpoint
CREATE TRIGGER `work_item_assignees_changes_insert` AFTER INSERT ON `work_item_assignees` BEGIN
  INSERT INTO `change_counters` (`workspace`, `table_name`, `version`) VALUES (new.`workspace`, 'work_item_assignees', 1)
    ON CONFLICT (`workspace`, `table_name`) DO UPDATE SET `version` = `version` + 1;
END;
--> statement-breakpoint
CREATE TRIGGER `work_item_assignees_changes_update` AFTER UPDATE ON `work_item_assignees` BEGIN
  INSERT INTO `change_counters` (`workspace`, `table_name`, `version`) VALUES (new.`workspace`, 'work_item_assignees', 1)
    ON CONFLICT (`workspace`, `table_name`) DO UPDATE SET `version` = `version` + 1;
END;
--> statement-breakpoint
CREATE TRIGGER `work_item_assignees_changes_delete` AFTER DELETE ON `work_item_assignees` BEGIN
  INSERT INTO `change_counters` (`workspace`, `table_name`, `version`) VALUES (old.`workspace`, 'work_item_assignees', 1)
    ON CONFLICT (`workspace`, `table_name`) DO UPDATE SET `version` = `version` + 1;
END;
--> statement-breakpoint
CREATE TRIGGER `reviews_changes_insert` AFTER INSERT ON `reviews` BEGIN
  INSERT INTO `change_counters` (`workspace`, `table_name`, `version`) VALUES (new.`workspace`, 'reviews', 1)
    ON CONFLICT (`workspace`, `table_name`) DO UPDATE SET `version` = `version` + 1;
END;
--> statement-breakpoint
CREATE TRIGGER `reviews_changes_update` AFTER UPDATE ON `reviews` BEGIN
  INSERT INTO `change_counters` (`workspace`, `table_name`, `version`) VALUES (new.`workspace`, 'reviews', 1)
    ON CONFLICT (`workspace`, `table_name`) DO UPDATE SET `version` = `version` + 1;
END;
--> statement-breakpoint
CREATE TRIGGER `reviews_changes_delete` AFTER DELETE ON `reviews` BEGIN
  INSERT INTO `change_counters` (`workspace`, `table_name`, `version`) VALUES (old.`workspace`, 'reviews', 1)
    ON CONFLICT (`workspace`, `table_name`) DO UPDATE SET `version` = `version` + 1;
END;
--> statement-breakpoint
CREATE TRIGGER `transitions_changes_insert` AFTER INSERT ON `transitions` BEGIN
  INSERT INTO `change_counters` (`workspace`, `table_name`, `version`) VALUES (new.`workspace`, 'transitions', 1)
    ON CONFLICT (`workspace`, `table_name`) DO UPDATE SET `version` = `version` + 1;
END;
--> statement-breakpoint
CREATE TRIGGER `transitions_changes_update` AFTER UPDATE ON `transitions` BEGIN
  INSERT INTO `change_counters` (`workspace`, `table_name`, `version`) VALUES (new.`workspace`, 'transitions', 1)
    ON CONFLICT (`workspace`, `table_name`) DO UPDATE SET `version` = `version` + 1;
END;
--> statement-breakpoint
CREATE TRIGGER `transitions_changes_delete` AFTER DELETE ON `transitions` BEGIN
  INSERT INTO `change_counters` (`workspace`, `table_name`, `version`) VALUES (old.`workspace`, 'transitions', 1)
    ON CONFLICT (`workspace`, `table_name`) DO UPDATE SET `version` = `version` + 1;
END;
--> statement-breakpoint
CREATE TRIGGER `sprints_changes_insert` AFTER INSERT ON `sprints` BEGIN
  INSERT INTO `change_counters` (`workspace`, `table_name`, `version`) VALUES (new.`workspace`, 'sprints', 1)
    ON CONFLICT (`workspace`, `table_name`) DO UPDATE SET `version` = `version` + 1;
END;
--> statement-breakpoint
CREATE TRIGGER `sprints_changes_update` AFTER UPDATE ON `sprints` BEGIN
  INSERT INTO `change_counters` (`workspace`, `table_name`, `version`) VALUES (new.`workspace`, 'sprints', 1)
    ON CONFLICT (`workspace`, `table_name`) DO UPDATE SET `version` = `version` + 1;
END;
--> statement-breakpoint
CREATE TRIGGER `sprints_changes_delete` AFTER DELETE ON `sprints` BEGIN
  INSERT INTO `change_counters` (`workspace`, `table_name`, `version`) VALUES (old.`workspace`, 'sprints', 1)
    ON CONFLICT (`workspace`, `table_name`) DO UPDATE SET `version` = `version` + 1;
END;
--> statement-breakpoint
CREATE TRIGGER `sprint_committed_items_changes_insert` AFTER INSERT ON `sprint_committed_items` BEGIN
  INSERT INTO `change_counters` (`workspace`, `table_name`, `version`) VALUES (new.`workspace`, 'sprint_committed_items', 1)
    ON CONFLICT (`workspace`, `table_name`) DO UPDATE SET `version` = `version` + 1;
END;
--> statement-breakpoint
CREATE TRIGGER `sprint_committed_items_changes_update` AFTER UPDATE ON `sprint_committed_items` BEGIN
  INSERT INTO `change_counters` (`workspace`, `table_name`, `version`) VALUES (new.`workspace`, 'sprint_committed_items', 1)
    ON CONFLICT (`workspace`, `table_name`) DO UPDATE SET `version` = `version` + 1;
END;
--> statement-breakpoint
CREATE TRIGGER `sprint_committed_items_changes_delete` AFTER DELETE ON `sprint_committed_items` BEGIN
  INSERT INTO `change_counters` (`workspace`, `table_name`, `version`) VALUES (old.`workspace`, 'sprint_committed_items', 1)
    ON CONFLICT (`workspace`, `table_name`) DO UPDATE SET `version` = `version` + 1;
END;
--> statement-breakpoint
CREATE TRIGGER `deployments_changes_insert` AFTER INSERT ON `deployments` BEGIN
  INSERT INTO `change_counters` (`workspace`, `table_name`, `version`) VALUES (new.`workspace`, 'deployments', 1)
    ON CONFLICT (`workspace`, `table_name`) DO UPDATE SET `version` = `version` + 1;
END;
--> statement-breakpoint
CREATE TRIGGER `deployments_changes_update` AFTER UPDATE ON `deployments` BEGIN
  INSERT INTO `change_counters` (`workspace`, `table_name`, `version`) VALUES (new.`workspace`, 'deployments', 1)
    ON CONFLICT (`workspace`, `table_name`) DO UPDATE SET `version` = `version` + 1;
END;
--> statement-breakpoint
CREATE TRIGGER `deployments_changes_delete` AFTER DELETE ON `deployments` BEGIN
  INSERT INTO `change_counters` (`workspace`, `table_name`, `version`) VALUES (old.`workspace`, 'deployments', 1)
    ON CONFLICT (`workspace`, `table_name`) DO UPDATE SET `version` = `version` + 1;
END;
--> statement-breakpoint
CREATE TRIGGER `incidents_changes_insert` AFTER INSERT ON `incidents` BEGIN
  INSERT INTO `change_counters` (`workspace`, `table_name`, `version`) VALUES (new.`workspace`, 'incidents', 1)
    ON CONFLICT (`workspace`, `table_name`) DO UPDATE SET `version` = `version` + 1;
END;
--> statement-breakpoint
CREATE TRIGGER `incidents_changes_update` AFTER UPDATE ON `incidents` BEGIN
  INSERT INTO `change_counters` (`workspace`, `table_name`, `version`) VALUES (new.`workspace`, 'incidents', 1)
    ON CONFLICT (`workspace`, `table_name`) DO UPDATE SET `version` = `version` + 1;
END;
--> statement-breakpoint
CREATE TRIGGER `incidents_changes_delete` AFTER DELETE ON `incidents` BEGIN
  INSERT INTO `change_counters` (`workspace`, `table_name`, `version`) VALUES (old.`workspace`, 'incidents', 1)
    ON CONFLICT (`workspace`, `table_name`) DO UPDATE SET `version` = `version` + 1;
END;
--> statement-breakpoint
CREATE TRIGGER `reports_changes_insert` AFTER INSERT ON `reports` BEGIN
  INSERT INTO `change_counters` (`workspace`, `table_name`, `version`) VALUES (new.`workspace`, 'reports', 1)
    ON CONFLICT (`workspace`, `table_name`) DO UPDATE SET `version` = `version` + 1;
END;
--> statement-breakpoint
CREATE TRIGGER `reports_changes_update` AFTER UPDATE ON `reports` BEGIN
  INSERT INTO `change_counters` (`workspace`, `table_name`, `version`) VALUES (new.`workspace`, 'reports', 1)
    ON CONFLICT (`workspace`, `table_name`) DO UPDATE SET `version` = `version` + 1;
END;
--> statement-breakpoint
CREATE TRIGGER `reports_changes_delete` AFTER DELETE ON `reports` BEGIN
  INSERT INTO `change_counters` (`workspace`, `table_name`, `version`) VALUES (old.`workspace`, 'reports', 1)
    ON CONFLICT (`workspace`, `table_name`) DO UPDATE SET `version` = `version` + 1;
END;
