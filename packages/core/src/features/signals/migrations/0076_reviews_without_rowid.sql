-- depends on: records/0067_reviews_item_index
-- The change counters' triggers on `reviews`, created again once the records part of this migration has rebuilt the
-- table (dropping a table drops its triggers), after it, behind the reads; the bump makes the next incremental refresh
-- of the signals read the table again, in case it was written between the two.

-- after open: SELECT count(*) FROM (SELECT 1 FROM `reviews` LIMIT 1)
CREATE TRIGGER IF NOT EXISTS `reviews_changes_delete` AFTER DELETE ON `reviews` BEGIN
  INSERT INTO `change_counters` (`workspace`, `table_name`, `version`) VALUES (old.`workspace`, 'reviews', 1)
    ON CONFLICT (`workspace`, `table_name`) DO UPDATE SET `version` = `version` + 1;
END;
CREATE TRIGGER IF NOT EXISTS `reviews_changes_insert` AFTER INSERT ON `reviews` BEGIN
  INSERT INTO `change_counters` (`workspace`, `table_name`, `version`) VALUES (new.`workspace`, 'reviews', 1)
    ON CONFLICT (`workspace`, `table_name`) DO UPDATE SET `version` = `version` + 1;
END;
CREATE TRIGGER IF NOT EXISTS `reviews_changes_update` AFTER UPDATE ON `reviews` BEGIN
  INSERT INTO `change_counters` (`workspace`, `table_name`, `version`) VALUES (new.`workspace`, 'reviews', 1)
    ON CONFLICT (`workspace`, `table_name`) DO UPDATE SET `version` = `version` + 1;
END;
UPDATE `change_counters` SET `version` = `version` + 1 WHERE `table_name` = 'reviews';
