-- depends on: features/builds/0051_builds
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
