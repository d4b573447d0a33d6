-- `transitions` keeps its rows in its primary key (WITHOUT ROWID), in (workspace, item, seq) order: an item's
-- transitions are one seek and a few neighbouring rows. The table held each transition's key twice (its row and the
-- primary key's index, 394 MB at 10,000 engineers), and transitions_in_progress_idx a third copy of four in five of
-- them for flow_efficiency (498 MB), which now reads the spans from the key. SQLite cannot change a table's storage in
-- place: the rows are copied into a new table in key order, the old one dropped, created again WITHOUT ROWID and
-- filled from the copy (in its order: appended, no sort), with the triggers on it created again (the sprint totals'
-- here, the change counters' in the signals part of this migration). Not a rename: renaming a table opens the
-- connection's temporary database, after which an import in a transaction on it could not keep its own scratch table
-- on disk (`PRAGMA temp_store`). The sprint totals' triggers on items, sprints and commitments name `transitions` and
-- find it again once it is created.
-- It runs after the first open (`-- after open:`), whole, in one write transaction of its own behind the reads (a
-- 10,000-engineer file: about a minute): readers see the old table until it commits; a process stopped during it rolls
-- it back and the next open runs it again. The count is max(rowid) of the old table, an estimate read in a moment.

-- after open: SELECT coalesce(max(rowid), 0) FROM `transitions`
DROP TABLE IF EXISTS `__new_transitions`;
CREATE TABLE `__new_transitions` (
	`workspace` text NOT NULL,
	`work_item_id` text NOT NULL,
	`seq` integer NOT NULL,
	`at` integer NOT NULL,
	`from_status` text,
	`to_status` text NOT NULL,
	`from_category` text,
	`to_category` text NOT NULL,
	`next_at` integer,
	PRIMARY KEY(`workspace`, `work_item_id`, `seq`)
) WITHOUT ROWID;
INSERT INTO `__new_transitions` (`workspace`, `work_item_id`, `seq`, `at`, `from_status`, `to_status`, `from_category`, `to_category`, `next_at`)
  SELECT `workspace`, `work_item_id`, `seq`, `at`, `from_status`, `to_status`, `from_category`, `to_category`, `next_at` FROM `transitions` ORDER BY `workspace`, `work_item_id`, `seq`;
DROP TABLE `transitions`;
CREATE TABLE `transitions` (
	`workspace` text NOT NULL,
	`work_item_id` text NOT NULL,
	`seq` integer NOT NULL,
	`at` integer NOT NULL,
	`from_status` text,
	`to_status` text NOT NULL,
	`from_category` text,
	`to_category` text NOT NULL,
	`next_at` integer,
	PRIMARY KEY(`workspace`, `work_item_id`, `seq`)
) WITHOUT ROWID;
INSERT INTO `transitions` (`workspace`, `work_item_id`, `seq`, `at`, `from_status`, `to_status`, `from_category`, `to_category`, `next_at`)
  SELECT `workspace`, `work_item_id`, `seq`, `at`, `from_status`, `to_status`, `from_category`, `to_category`, `next_at` FROM `__new_transitions` ORDER BY `workspace`, `work_item_id`, `seq`;
DROP TABLE `__new_transitions`;
CREATE TRIGGER `sprint_totals_transition_insert` AFTER INSERT ON `transitions`
  WHEN EXISTS (SELECT 1 FROM work_items w WHERE w.workspace = NEW.workspace AND w.id = NEW.work_item_id AND w.resolved_at IS NULL AND w.story_points IS NOT NULL) BEGIN
  UPDATE `sprint_totals` SET `completed_points` = `completed_points` + d.completed
    FROM (SELECT s.id AS sprint_id, w.story_points * (coalesce((SELECT ct.to_category FROM transitions ct WHERE ct.workspace = w.workspace AND ct.work_item_id = w.id AND ct.at <= s.completed_at ORDER BY ct.at DESC, ct.seq DESC LIMIT 1) = 'done', 0)
          - coalesce((SELECT ct.to_category FROM transitions ct WHERE ct.workspace = w.workspace AND ct.work_item_id = w.id AND ct.at <= s.completed_at AND ct.seq IS NOT NEW.seq ORDER BY ct.at DESC, ct.seq DESC LIMIT 1) = 'done', 0)) AS completed
      FROM (SELECT m.sprint_id FROM work_items m WHERE m.workspace = NEW.workspace AND m.id = NEW.work_item_id AND m.sprint_id IS NOT NULL
          UNION SELECT c.sprint_id FROM sprint_committed_items c INDEXED BY sprint_committed_items_item_idx WHERE c.workspace = NEW.workspace AND c.work_item_id = NEW.work_item_id) AS m
        CROSS JOIN sprints s ON s.workspace = NEW.workspace AND s.id = m.sprint_id AND NEW.at <= s.completed_at
        CROSS JOIN work_items w ON w.workspace = NEW.workspace AND w.id = NEW.work_item_id) AS d
    WHERE `sprint_totals`.`workspace` = NEW.workspace AND `sprint_totals`.`sprint_id` = d.sprint_id AND d.completed <> 0;
END;
CREATE TRIGGER `sprint_totals_transition_update_before` BEFORE UPDATE OF `work_item_id`, `seq`, `at`, `to_category` ON `transitions`
  WHEN (OLD.work_item_id IS NOT NEW.work_item_id OR OLD.seq IS NOT NEW.seq OR OLD.at IS NOT NEW.at OR OLD.to_category IS NOT NEW.to_category) AND EXISTS (SELECT 1 FROM work_items w WHERE w.workspace = OLD.workspace AND w.id = OLD.work_item_id AND w.resolved_at IS NULL AND w.story_points IS NOT NULL) BEGIN
  UPDATE `sprint_totals` SET `committed_points` = `committed_points` + d.committed, `completed_points` = `completed_points` + d.completed,
      `fractional_items` = `fractional_items` + d.fractional
    FROM (SELECT s.id AS sprint_id,
        -CASE WHEN EXISTS (SELECT 1 FROM sprint_committed_items c WHERE c.workspace = w.workspace AND c.sprint_id = s.id AND c.work_item_id = w.id)
          THEN coalesce(w.story_points, 0) ELSE 0 END AS committed,
        -CASE WHEN ((w.resolved_at IS NOT NULL AND w.resolved_at <= s.completed_at) OR (w.resolved_at IS NULL AND (SELECT ct.to_category FROM transitions ct WHERE ct.workspace = w.workspace AND ct.work_item_id = w.id AND ct.at <= s.completed_at ORDER BY ct.at DESC, ct.seq DESC LIMIT 1) = 'done')) THEN coalesce(w.story_points, 0) ELSE 0 END AS completed,
        -(w.story_points IS NOT NULL AND w.story_points <> CAST(w.story_points AS INTEGER)) AS fractional
      FROM (SELECT m.sprint_id FROM work_items m WHERE m.workspace = OLD.workspace AND m.id = OLD.work_item_id AND m.sprint_id IS NOT NULL
          UNION SELECT c.sprint_id FROM sprint_committed_items c INDEXED BY sprint_committed_items_item_idx WHERE c.workspace = OLD.workspace AND c.work_item_id = OLD.work_item_id) AS m
        CROSS JOIN sprints s ON s.workspace = OLD.workspace AND s.id = m.sprint_id
        CROSS JOIN work_items w ON w.workspace = OLD.workspace AND w.id = OLD.work_item_id) AS d
    WHERE `sprint_totals`.`workspace` = OLD.workspace AND `sprint_totals`.`sprint_id` = d.sprint_id;
END;
CREATE TRIGGER `sprint_totals_transition_update_after` AFTER UPDATE OF `work_item_id`, `seq`, `at`, `to_category` ON `transitions`
  WHEN (OLD.work_item_id IS NOT NEW.work_item_id OR OLD.seq IS NOT NEW.seq OR OLD.at IS NOT NEW.at OR OLD.to_category IS NOT NEW.to_category) AND EXISTS (SELECT 1 FROM work_items w WHERE w.workspace = NEW.workspace AND w.id = NEW.work_item_id AND w.resolved_at IS NULL AND w.story_points IS NOT NULL) BEGIN
  UPDATE `sprint_totals` SET `committed_points` = `committed_points` + d.committed, `completed_points` = `completed_points` + d.completed,
      `fractional_items` = `fractional_items` + d.fractional
    FROM (SELECT s.id AS sprint_id,
        CASE WHEN EXISTS (SELECT 1 FROM sprint_committed_items c WHERE c.workspace = w.workspace AND c.sprint_id = s.id AND c.work_item_id = w.id)
          THEN coalesce(w.story_points, 0) ELSE 0 END AS committed,
        CASE WHEN ((w.resolved_at IS NOT NULL AND w.resolved_at <= s.completed_at) OR (w.resolved_at IS NULL AND (SELECT ct.to_category FROM transitions ct WHERE ct.workspace = w.workspace AND ct.work_item_id = w.id AND ct.at <= s.completed_at ORDER BY ct.at DESC, ct.seq DESC LIMIT 1) = 'done')) THEN coalesce(w.story_points, 0) ELSE 0 END AS completed,
        (w.story_points IS NOT NULL AND w.story_points <> CAST(w.story_points AS INTEGER)) AS fractional
      FROM (SELECT m.sprint_id FROM work_items m WHERE m.workspace = NEW.workspace AND m.id = NEW.work_item_id AND m.sprint_id IS NOT NULL
          UNION SELECT c.sprint_id FROM sprint_committed_items c INDEXED BY sprint_committed_items_item_idx WHERE c.workspace = NEW.workspace AND c.work_item_id = NEW.work_item_id) AS m
        CROSS JOIN sprints s ON s.workspace = NEW.workspace AND s.id = m.sprint_id
        CROSS JOIN work_items w ON w.workspace = NEW.workspace AND w.id = NEW.work_item_id) AS d
    WHERE `sprint_totals`.`workspace` = NEW.workspace AND `sprint_totals`.`sprint_id` = d.sprint_id;
END;
CREATE TRIGGER `sprint_totals_transition_delete_before` BEFORE DELETE ON `transitions`
  WHEN EXISTS (SELECT 1 FROM work_items w WHERE w.workspace = OLD.workspace AND w.id = OLD.work_item_id AND w.resolved_at IS NULL AND w.story_points IS NOT NULL) BEGIN
  UPDATE `sprint_totals` SET `committed_points` = `committed_points` + d.committed, `completed_points` = `completed_points` + d.completed,
      `fractional_items` = `fractional_items` + d.fractional
    FROM (SELECT s.id AS sprint_id,
        -CASE WHEN EXISTS (SELECT 1 FROM sprint_committed_items c WHERE c.workspace = w.workspace AND c.sprint_id = s.id AND c.work_item_id = w.id)
          THEN coalesce(w.story_points, 0) ELSE 0 END AS committed,
        -CASE WHEN ((w.resolved_at IS NOT NULL AND w.resolved_at <= s.completed_at) OR (w.resolved_at IS NULL AND (SELECT ct.to_category FROM transitions ct WHERE ct.workspace = w.workspace AND ct.work_item_id = w.id AND ct.at <= s.completed_at ORDER BY ct.at DESC, ct.seq DESC LIMIT 1) = 'done')) THEN coalesce(w.story_points, 0) ELSE 0 END AS completed,
        -(w.story_points IS NOT NULL AND w.story_points <> CAST(w.story_points AS INTEGER)) AS fractional
      FROM (SELECT m.sprint_id FROM work_items m WHERE m.workspace = OLD.workspace AND m.id = OLD.work_item_id AND m.sprint_id IS NOT NULL
          UNION SELECT c.sprint_id FROM sprint_committed_items c INDEXED BY sprint_committed_items_item_idx WHERE c.workspace = OLD.workspace AND c.work_item_id = OLD.work_item_id) AS m
        CROSS JOIN sprints s ON s.workspace = OLD.workspace AND s.id = m.sprint_id
        CROSS JOIN work_items w ON w.workspace = OLD.workspace AND w.id = OLD.work_item_id) AS d
    WHERE `sprint_totals`.`workspace` = OLD.workspace AND `sprint_totals`.`sprint_id` = d.sprint_id;
END;
CREATE TRIGGER `sprint_totals_transition_delete_after` AFTER DELETE ON `transitions`
  WHEN EXISTS (SELECT 1 FROM work_items w WHERE w.workspace = OLD.workspace AND w.id = OLD.work_item_id AND w.resolved_at IS NULL AND w.story_points IS NOT NULL) BEGIN
  UPDATE `sprint_totals` SET `committed_points` = `committed_points` + d.committed, `completed_points` = `completed_points` + d.completed,
      `fractional_items` = `fractional_items` + d.fractional
    FROM (SELECT s.id AS sprint_id,
        CASE WHEN EXISTS (SELECT 1 FROM sprint_committed_items c WHERE c.workspace = w.workspace AND c.sprint_id = s.id AND c.work_item_id = w.id)
          THEN coalesce(w.story_points, 0) ELSE 0 END AS committed,
        CASE WHEN ((w.resolved_at IS NOT NULL AND w.resolved_at <= s.completed_at) OR (w.resolved_at IS NULL AND (SELECT ct.to_category FROM transitions ct WHERE ct.workspace = w.workspace AND ct.work_item_id = w.id AND ct.at <= s.completed_at ORDER BY ct.at DESC, ct.seq DESC LIMIT 1) = 'done')) THEN coalesce(w.story_points, 0) ELSE 0 END AS completed,
        (w.story_points IS NOT NULL AND w.story_points <> CAST(w.story_points AS INTEGER)) AS fractional
      FROM (SELECT m.sprint_id FROM work_items m WHERE m.workspace = OLD.workspace AND m.id = OLD.work_item_id AND m.sprint_id IS NOT NULL
          UNION SELECT c.sprint_id FROM sprint_committed_items c INDEXED BY sprint_committed_items_item_idx WHERE c.workspace = OLD.workspace AND c.work_item_id = OLD.work_item_id) AS m
        CROSS JOIN sprints s ON s.workspace = OLD.workspace AND s.id = m.sprint_id
        CROSS JOIN work_items w ON w.workspace = OLD.workspace AND w.id = OLD.work_item_id) AS d
    WHERE `sprint_totals`.`workspace` = OLD.workspace AND `sprint_totals`.`sprint_id` = d.sprint_id;
END;
