-- depends on: records/0071_dropped_indexes
-- The change counters' triggers on `transitions`, created again once the records part of this migration has rebuilt
-- the table (dropping a table drops its triggers), after it, behind the reads. The bump makes the next incremental
-- refresh of the signals read transitions again, in case one was written between the two.

-- after open: SELECT count(*) FROM (SELECT 1 FROM `transitions` LIMIT 1)
CREATE TRIGGER IF NOT EXISTS `transitions_changes_insert` AFTER INSERT ON `transitions` BEGIN
  INSERT INTO `change_counters` (`workspace`, `table_name`, `version`) VALUES (new.`workspace`, 'transitions', 1)
    ON CONFLICT (`workspace`, `table_name`) DO UPDATE SET `version` = `version` + 1;
END;
CREATE TRIGGER IF NOT EXISTS `transitions_changes_update` AFTER UPDATE ON `transitions` BEGIN
  INSERT INTO `change_counters` (`workspace`, `table_name`, `version`) VALUES (new.`workspace`, 'transitions', 1)
    ON CONFLICT (`workspace`, `table_name`) DO UPDATE SET `version` = `version` + 1;
END;
CREATE TRIGGER IF NOT EXISTS `transitions_changes_delete` AFTER DELETE ON `transitions` BEGIN
  INSERT INTO `change_counters` (`workspace`, `table_name`, `version`) VALUES (old.`workspace`, 'transitions', 1)
    ON CONFLICT (`workspace`, `table_name`) DO UPDATE SET `version` = `version` + 1;
END;
UPDATE `change_counters` SET `version` = `version` + 1 WHERE `table_name` = 'transitions';
