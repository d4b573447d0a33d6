-- depends on: records/0021_signal_bookkeeping, records/0030_sprint_totals
-- The change counters' triggers on the link tables, created again once the records part of this migration has rebuilt
-- each table (dropping a table drops its triggers), after it, behind the reads; the bump makes the next incremental
-- refresh of the signals read the table again, in case it was written between the two.

-- after open: SELECT count(*) FROM (SELECT 1 FROM `work_item_assignees` LIMIT 1)
CREATE TRIGGER IF NOT EXISTS `work_item_assignees_changes_delete` AFTER DELETE ON `work_item_assignees` BEGIN
  INSERT INTO `change_counters` (`workspace`, `table_name`, `version`) VALUES (old.`workspace`, 'work_item_assignees', 1)
    ON CONFLICT (`workspace`, `table_name`) DO UPDATE SET `version` = `version` + 1;
END;
CREATE TRIGGER IF NOT EXISTS `work_item_assignees_changes_insert` AFTER INSERT ON `work_item_assignees` BEGIN
  INSERT INTO `change_counters` (`workspace`, `table_name`, `version`) VALUES (new.`workspace`, 'work_item_assignees', 1)
    ON CONFLICT (`workspace`, `table_name`) DO UPDATE SET `version` = `version` + 1;
END;
CREATE TRIGGER IF NOT EXISTS `work_item_assignees_changes_update` AFTER UPDATE ON `work_item_assignees` BEGIN
  INSERT INTO `change_counters` (`workspace`, `table_name`, `version`) VALUES (new.`workspace`, 'work_item_assignees', 1)
    ON CONFLICT (`workspace`, `table_name`) DO UPDATE SET `version` = `version` + 1;
END;
UPDATE `change_counters` SET `version` = `version` + 1 WHERE `table_name` = 'work_item_assignees';
--> statement-breakpoint
-- after open: SELECT count(*) FROM (SELECT 1 FROM `sprint_committed_items` LIMIT 1)
CREATE TRIGGER IF NOT EXISTS `sprint_committed_items_changes_delete` AFTER DELETE ON `sprint_committed_items` BEGIN
  INSERT INTO `change_counters` (`workspace`, `table_name`, `version`) VALUES (old.`workspace`, 'sprint_committed_items', 1)
    ON CONFLICT (`workspace`, `table_name`) DO UPDATE SET `version` = `version` + 1;
END;
CREATE TRIGGER IF NOT EXISTS `sprint_committed_items_changes_insert` AFTER INSERT ON `sprint_committed_items` BEGIN
  INSERT INTO `change_counters` (`workspace`, `table_name`, `version`) VALUES (new.`workspace`, 'sprint_committed_items', 1)
    ON CONFLICT (`workspace`, `table_name`) DO UPDATE SET `version` = `version` + 1;
END;
CREATE TRIGGER IF NOT EXISTS `sprint_committed_items_changes_update` AFTER UPDATE ON `sprint_committed_items` BEGIN
  INSERT INTO `change_counters` (`workspace`, `table_name`, `version`) VALUES (new.`workspace`, 'sprint_committed_items', 1)
    ON CONFLICT (`workspace`, `table_name`) DO UPDATE SET `version` = `version` + 1;
END;
UPDATE `change_counters` SET `version` = `version` + 1 WHERE `table_name` = 'sprint_committed_items';
