CREATE TABLE `sprint_totals` (
	`workspace` text NOT NULL,
	`sprint_id` text NOT NULL,
	`committed_points` real NOT NULL,
	`completed_points` real NOT NULL,
	`fractional_items` integer NOT NULL,
	PRIMARY KEY(`workspace`, `sprint_id`)
);
--> statement-breakpoint
CREATE INDEX `sprint_committed_items_item_idx` ON `sprint_committed_items` (`workspace`,`work_item_id`);
--> statement-breakpoint
CREATE TRIGGER `sprint_totals_item_insert` AFTER INSERT ON `work_items`
  WHEN NEW.sprint_id IS NOT NULL OR EXISTS (SELECT 1 FROM sprint_committed_items c WHERE c.workspace = NEW.workspace AND c.work_item_id = NEW.id) BEGIN
  UPDATE `sprint_totals` SET `committed_points` = `committed_points` + d.committed, `completed_points` = `completed_points` + d.completed,
      `fractional_items` = `fractional_items` + d.fractional
    FROM (SELECT s.id AS sprint_id,
        CASE WHEN EXISTS (SELECT 1 FROM sprint_committed_items c WHERE c.workspace = w.workspace AND c.sprint_id = s.id AND c.work_item_id = w.id)
          THEN coalesce(w.story_points, 0) ELSE 0 END AS committed,
        CASE WHEN ((w.resolved_at IS NOT NULL AND w.resolved_at <= s.completed_at) OR (w.resolved_at IS NULL AND (SELECT ct.to_category FROM transitions ct WHERE ct.workspace = w.workspace AND ct.work_item_id = w.id AND ct.at <= s.completed_at ORDER BY ct.at DESC, ct.seq DESC LIMIT 1) = 'done')) THEN coalesce(w.story_points, 0) ELSE 0 END AS completed,
        (w.story_points IS NOT NULL AND w.story_points <> CAST(w.story_points AS INTEGER)) AS fractional
      FROM (SELECT m.sprint_id FROM work_items m WHERE m.workspace = NEW.workspace AND m.id = NEW.id AND m.sprint_id IS NOT NULL
          UNION SELECT c.sprint_id FROM sprint_committed_items c WHERE c.workspace = NEW.workspace AND c.work_item_id = NEW.id) AS m
        JOIN sprints s ON s.workspace = NEW.workspace AND s.id = m.sprint_id
        JOIN work_items w ON w.workspace = NEW.workspace AND w.id = NEW.id) AS d
    WHERE `sprint_totals`.`workspace` = NEW.workspace AND `sprint_totals`.`sprint_id` = d.sprint_id;
END;
--> statement-breakpoint
CREATE TRIGGER `sprint_totals_item_update_before` BEFORE UPDATE OF `sprint_id`, `story_points`, `resolved_at` ON `work_items`
  WHEN OLD.sprint_id IS NOT NEW.sprint_id OR OLD.story_points IS NOT NEW.story_points OR OLD.resolved_at IS NOT NEW.resolved_at BEGIN
  UPDATE `sprint_totals` SET `committed_points` = `committed_points` + d.committed, `completed_points` = `completed_points` + d.completed,
      `fractional_items` = `fractional_items` + d.fractional
    FROM (SELECT s.id AS sprint_id,
        -CASE WHEN EXISTS (SELECT 1 FROM sprint_committed_items c WHERE c.workspace = w.workspace AND c.sprint_id = s.id AND c.work_item_id = w.id)
          THEN coalesce(w.story_points, 0) ELSE 0 END AS committed,
        -CASE WHEN ((w.resolved_at IS NOT NULL AND w.resolved_at <= s.completed_at) OR (w.resolved_at IS NULL AND (SELECT ct.to_category FROM transitions ct WHERE ct.workspace = w.workspace AND ct.work_item_id = w.id AND ct.at <= s.completed_at ORDER BY ct.at DESC, ct.seq DESC LIMIT 1) = 'done')) THEN coalesce(w.story_points, 0) ELSE 0 END AS completed,
        -(w.story_points IS NOT NULL AND w.story_points <> CAST(w.story_points AS INTEGER)) AS fractional
      FROM (SELECT m.sprint_id FROM work_items m WHERE m.workspace = OLD.workspace AND m.id = OLD.id AND m.sprint_id IS NOT NULL
          UNION SELECT c.sprint_id FROM sprint_committed_items c WHERE c.workspace = OLD.workspace AND c.work_item_id = OLD.id) AS m
        JOIN sprints s ON s.workspace = OLD.workspace AND s.id = m.sprint_id
        JOIN work_items w ON w.workspace = OLD.workspace AND w.id = OLD.id) AS d
    WHERE `sprint_totals`.`workspace` = OLD.workspace AND `sprint_totals`.`sprint_id` = d.sprint_id;
END;
--> statement-breakpoint
CREATE TRIGGER `sprint_totals_item_update_after` AFTER UPDATE OF `sprint_id`, `story_points`, `resolved_at` ON `work_items`
  WHEN OLD.sprint_id IS NOT NEW.sprint_id OR OLD.story_points IS NOT NEW.story_points OR OLD.resolved_at IS NOT NEW.resolved_at BEGIN
  UPDATE `sprint_totals` SET `committed_points` = `committed_points` + d.committed, `completed_points` = `completed_points` + d.completed,
      `fractional_items` = `fractional_items` + d.fractional
    FROM (SELECT s.id AS sprint_id,
        CASE WHEN EXISTS (SELECT 1 FROM sprint_committed_items c WHERE c.workspace = w.workspace AND c.sprint_id = s.id AND c.work_item_id = w.id)
          THEN coalesce(w.story_points, 0) ELSE 0 END AS committed,
        CASE WHEN ((w.resolved_at IS NOT NULL AND w.resolved_at <= s.completed_at) OR (w.resolved_at IS NULL AND (SELECT ct.to_category FROM transitions ct WHERE ct.workspace = w.workspace AND ct.work_item_id = w.id AND ct.at <= s.completed_at ORDER BY ct.at DESC, ct.seq DESC LIMIT 1) = 'done')) THEN coalesce(w.story_points, 0) ELSE 0 END AS completed,
        (w.story_points IS NOT NULL AND w.story_points <> CAST(w.story_points AS INTEGER)) AS fractional
      FROM (SELECT m.sprint_id FROM work_items m WHERE m.workspace = NEW.workspace AND m.id = NEW.id AND m.sprint_id IS NOT NULL
          UNION SELECT c.sprint_id FROM sprint_committed_items c WHERE c.workspace = NEW.workspace AND c.work_item_id = NEW.id) AS m
        JOIN sprints s ON s.workspace = NEW.workspace AND s.id = m.sprint_id
        JOIN work_items w ON w.workspace = NEW.workspace AND w.id = NEW.id) AS d
    WHERE `sprint_totals`.`workspace` = NEW.workspace AND `sprint_totals`.`sprint_id` = d.sprint_id;
END;
--> statement-breakpoint
CREATE TRIGGER `sprint_totals_item_delete` BEFORE DELETE ON `work_items`
  WHEN OLD.sprint_id IS NOT NULL OR EXISTS (SELECT 1 FROM sprint_committed_items c WHERE c.workspace = OLD.workspace AND c.work_item_id = OLD.id) BEGIN
  UPDATE `sprint_totals` SET `committed_points` = `committed_points` + d.committed, `completed_points` = `completed_points` + d.completed,
      `fractional_items` = `fractional_items` + d.fractional
    FROM (SELECT s.id AS sprint_id,
        -CASE WHEN EXISTS (SELECT 1 FROM sprint_committed_items c WHERE c.workspace = w.workspace AND c.sprint_id = s.id AND c.work_item_id = w.id)
          THEN coalesce(w.story_points, 0) ELSE 0 END AS committed,
        -CASE WHEN ((w.resolved_at IS NOT NULL AND w.resolved_at <= s.completed_at) OR (w.resolved_at IS NULL AND (SELECT ct.to_category FROM transitions ct WHERE ct.workspace = w.workspace AND ct.work_item_id = w.id AND ct.at <= s.completed_at ORDER BY ct.at DESC, ct.seq DESC LIMIT 1) = 'done')) THEN coalesce(w.story_points, 0) ELSE 0 END AS completed,
        -(w.story_points IS NOT NULL AND w.story_points <> CAST(w.story_points AS INTEGER)) AS fractional
      FROM (SELECT m.sprint_id FROM work_items m WHERE m.workspace = OLD.workspace AND m.id = OLD.id AND m.sprint_id IS NOT NULL
          UNION SELECT c.sprint_id FROM sprint_committed_items c WHERE c.workspace = OLD.workspace AND c.work_item_id = OLD.id) AS m
        JOIN sprints s ON s.workspace = OLD.workspace AND s.id = m.sprint_id
        JOIN work_items w ON w.workspace = OLD.workspace AND w.id = OLD.id) AS d
    WHERE `sprint_totals`.`workspace` = OLD.workspace AND `sprint_totals`.`sprint_id` = d.sprint_id;
END;
--> statement-breakpoint
CREATE TRIGGER `sprint_totals_transition_insert` AFTER INSERT ON `transitions`
  WHEN EXISTS (SELECT 1 FROM work_items w WHERE w.workspace = NEW.workspace AND w.id = NEW.work_item_id AND w.resolved_at IS NULL AND w.story_points IS NOT NULL) BEGIN
  UPDATE `sprint_totals` SET `completed_points` = `completed_points` + d.completed
    FROM (SELECT s.id AS sprint_id, w.story_points * (coalesce((SELECT ct.to_category FROM transitions ct WHERE ct.workspace = w.workspace AND ct.work_item_id = w.id AND ct.at <= s.completed_at ORDER BY ct.at DESC, ct.seq DESC LIMIT 1) = 'done', 0)
          - coalesce((SELECT ct.to_category FROM transitions ct WHERE ct.workspace = w.workspace AND ct.work_item_id = w.id AND ct.at <= s.completed_at AND ct.seq IS NOT NEW.seq ORDER BY ct.at DESC, ct.seq DESC LIMIT 1) = 'done', 0)) AS completed
      FROM (SELECT m.sprint_id FROM work_items m WHERE m.workspace = NEW.workspace AND m.id = NEW.work_item_id AND m.sprint_id IS NOT NULL
          UNION SELECT c.sprint_id FROM sprint_committed_items c WHERE c.workspace = NEW.workspace AND c.work_item_id = NEW.work_item_id) AS m
        JOIN sprints s ON s.workspace = NEW.workspace AND s.id = m.sprint_id AND NEW.at <= s.completed_at
        JOIN work_items w ON w.workspace = NEW.workspace AND w.id = NEW.work_item_id) AS d
    WHERE `sprint_totals`.`workspace` = NEW.workspace AND `sprint_totals`.`sprint_id` = d.sprint_id AND d.completed <> 0;
END;
--> statement-breakpoint
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
          UNION SELECT c.sprint_id FROM sprint_committed_items c WHERE c.workspace = OLD.workspace AND c.work_item_id = OLD.work_item_id) AS m
        JOIN sprints s ON s.workspace = OLD.workspace AND s.id = m.sprint_id
        JOIN work_items w ON w.workspace = OLD.workspace AND w.id = OLD.work_item_id) AS d
    WHERE `sprint_totals`.`workspace` = OLD.workspace AND `sprint_totals`.`sprint_id` = d.sprint_id;
END;
--> statement-breakpoint
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
          UNION SELECT c.sprint_id FROM sprint_committed_items c WHERE c.workspace = NEW.workspace AND c.work_item_id = NEW.work_item_id) AS m
        JOIN sprints s ON s.workspace = NEW.workspace AND s.id = m.sprint_id
        JOIN work_items w ON w.workspace = NEW.workspace AND w.id = NEW.work_item_id) AS d
    WHERE `sprint_totals`.`workspace` = NEW.workspace AND `sprint_totals`.`sprint_id` = d.sprint_id;
END;
--> statement-breakpoint
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
          UNION SELECT c.sprint_id FROM sprint_committed_items c WHERE c.workspace = OLD.workspace AND c.work_item_id = OLD.work_item_id) AS m
        JOIN sprints s ON s.workspace = OLD.workspace AND s.id = m.sprint_id
        JOIN work_items w ON w.workspace = OLD.workspace AND w.id = OLD.work_item_id) AS d
    WHERE `sprint_totals`.`workspace` = OLD.workspace AND `sprint_totals`.`sprint_id` = d.sprint_id;
END;
--> statement-breakpoint
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
          UNION SELECT c.sprint_id FROM sprint_committed_items c WHERE c.workspace = OLD.workspace AND c.work_item_id = OLD.work_item_id) AS m
        JOIN sprints s ON s.workspace = OLD.workspace AND s.id = m.sprint_id
        JOIN work_items w ON w.workspace = OLD.workspace AND w.id = OLD.work_item_id) AS d
    WHERE `sprint_totals`.`workspace` = OLD.workspace AND `sprint_totals`.`sprint_id` = d.sprint_id;
END;
--> statement-breakpoint
CREATE TRIGGER `sprint_totals_committed_insert` AFTER INSERT ON `sprint_committed_items` BEGIN
  UPDATE `sprint_totals` SET `committed_points` = `committed_points` + coalesce(w.story_points, 0),
      `completed_points` = `completed_points` + CASE WHEN w.sprint_id IS NOT NEW.sprint_id AND ((w.resolved_at IS NOT NULL AND w.resolved_at <= s.completed_at) OR (w.resolved_at IS NULL AND (SELECT ct.to_category FROM transitions ct WHERE ct.workspace = w.workspace AND ct.work_item_id = w.id AND ct.at <= s.completed_at ORDER BY ct.at DESC, ct.seq DESC LIMIT 1) = 'done')) THEN coalesce(w.story_points, 0) ELSE 0 END,
      `fractional_items` = `fractional_items` + CASE WHEN w.sprint_id IS NOT NEW.sprint_id THEN (w.story_points IS NOT NULL AND w.story_points <> CAST(w.story_points AS INTEGER)) ELSE 0 END
    FROM work_items w, sprints s
    WHERE w.workspace = NEW.workspace AND w.id = NEW.work_item_id AND s.workspace = NEW.workspace AND s.id = NEW.sprint_id
      AND `sprint_totals`.`workspace` = NEW.workspace AND `sprint_totals`.`sprint_id` = NEW.sprint_id;
END;
--> statement-breakpoint
CREATE TRIGGER `sprint_totals_committed_update_before` BEFORE UPDATE ON `sprint_committed_items` BEGIN
  UPDATE `sprint_totals` SET `committed_points` = `committed_points` - coalesce(w.story_points, 0),
      `completed_points` = `completed_points` - CASE WHEN w.sprint_id IS NOT OLD.sprint_id AND ((w.resolved_at IS NOT NULL AND w.resolved_at <= s.completed_at) OR (w.resolved_at IS NULL AND (SELECT ct.to_category FROM transitions ct WHERE ct.workspace = w.workspace AND ct.work_item_id = w.id AND ct.at <= s.completed_at ORDER BY ct.at DESC, ct.seq DESC LIMIT 1) = 'done')) THEN coalesce(w.story_points, 0) ELSE 0 END,
      `fractional_items` = `fractional_items` - CASE WHEN w.sprint_id IS NOT OLD.sprint_id THEN (w.story_points IS NOT NULL AND w.story_points <> CAST(w.story_points AS INTEGER)) ELSE 0 END
    FROM work_items w, sprints s
    WHERE w.workspace = OLD.workspace AND w.id = OLD.work_item_id AND s.workspace = OLD.workspace AND s.id = OLD.sprint_id
      AND `sprint_totals`.`workspace` = OLD.workspace AND `sprint_totals`.`sprint_id` = OLD.sprint_id;
END;
--> statement-breakpoint
CREATE TRIGGER `sprint_totals_committed_update_after` AFTER UPDATE ON `sprint_committed_items` BEGIN
  UPDATE `sprint_totals` SET `committed_points` = `committed_points` + coalesce(w.story_points, 0),
      `completed_points` = `completed_points` + CASE WHEN w.sprint_id IS NOT NEW.sprint_id AND ((w.resolved_at IS NOT NULL AND w.resolved_at <= s.completed_at) OR (w.resolved_at IS NULL AND (SELECT ct.to_category FROM transitions ct WHERE ct.workspace = w.workspace AND ct.work_item_id = w.id AND ct.at <= s.completed_at ORDER BY ct.at DESC, ct.seq DESC LIMIT 1) = 'done')) THEN coalesce(w.story_points, 0) ELSE 0 END,
      `fractional_items` = `fractional_items` + CASE WHEN w.sprint_id IS NOT NEW.sprint_id THEN (w.story_points IS NOT NULL AND w.story_points <> CAST(w.story_points AS INTEGER)) ELSE 0 END
    FROM work_items w, sprints s
    WHERE w.workspace = NEW.workspace AND w.id = NEW.work_item_id AND s.workspace = NEW.workspace AND s.id = NEW.sprint_id
      AND `sprint_totals`.`workspace` = NEW.workspace AND `sprint_totals`.`sprint_id` = NEW.sprint_id;
END;
--> statement-breakpoint
CREATE TRIGGER `sprint_totals_committed_delete` AFTER DELETE ON `sprint_committed_items` BEGIN
  UPDATE `sprint_totals` SET `committed_points` = `committed_points` - coalesce(w.story_points, 0),
      `completed_points` = `completed_points` - CASE WHEN w.sprint_id IS NOT OLD.sprint_id AND ((w.resolved_at IS NOT NULL AND w.resolved_at <= s.completed_at) OR (w.resolved_at IS NULL AND (SELECT ct.to_category FROM transitions ct WHERE ct.workspace = w.workspace AND ct.work_item_id = w.id AND ct.at <= s.completed_at ORDER BY ct.at DESC, ct.seq DESC LIMIT 1) = 'done')) THEN coalesce(w.story_points, 0) ELSE 0 END,
      `fractional_items` = `fractional_items` - CASE WHEN w.sprint_id IS NOT OLD.sprint_id THEN (w.story_points IS NOT NULL AND w.story_points <> CAST(w.story_points AS INTEGER)) ELSE 0 END
    FROM work_items w, sprints s
    WHERE w.workspace = OLD.workspace AND w.id = OLD.work_item_id AND s.workspace = OLD.workspace AND s.id = OLD.sprint_id
      AND `sprint_totals`.`workspace` = OLD.workspace AND `sprint_totals`.`sprint_id` = OLD.sprint_id;
END;
--> statement-breakpoint
CREATE TRIGGER `sprint_totals_sprint_insert` AFTER INSERT ON `sprints` BEGIN
  INSERT OR REPLACE INTO `sprint_totals` (`workspace`, `sprint_id`, `committed_points`, `completed_points`, `fractional_items`)
    SELECT NEW.workspace, NEW.id, coalesce(sum(i.committed * coalesce(i.story_points, 0)), 0), coalesce(sum(CASE WHEN ((i.resolved_at IS NOT NULL AND i.resolved_at <= NEW.completed_at) OR (i.resolved_at IS NULL AND (SELECT ct.to_category FROM transitions ct WHERE ct.workspace = i.workspace AND ct.work_item_id = i.id AND ct.at <= NEW.completed_at ORDER BY ct.at DESC, ct.seq DESC LIMIT 1) = 'done')) THEN coalesce(i.story_points, 0) ELSE 0 END), 0),
      coalesce(sum((i.story_points IS NOT NULL AND i.story_points <> CAST(i.story_points AS INTEGER))), 0)
    FROM (SELECT 1 AS committed, w.workspace, w.id, w.story_points, w.resolved_at, c.sprint_id FROM sprint_committed_items c
          JOIN work_items w ON w.workspace = c.workspace AND w.id = c.work_item_id WHERE c.workspace = NEW.workspace AND c.sprint_id = NEW.id
        UNION ALL SELECT 0, w.workspace, w.id, w.story_points, w.resolved_at, w.sprint_id FROM work_items w WHERE w.workspace = NEW.workspace AND w.sprint_id = NEW.id
          AND NOT EXISTS (SELECT 1 FROM sprint_committed_items c WHERE c.workspace = w.workspace AND c.sprint_id = w.sprint_id AND c.work_item_id = w.id)) AS i;
END;
--> statement-breakpoint
CREATE TRIGGER `sprint_totals_sprint_update` AFTER UPDATE OF `workspace`, `id`, `completed_at` ON `sprints`
  WHEN OLD.workspace IS NOT NEW.workspace OR OLD.id IS NOT NEW.id OR OLD.completed_at IS NOT NEW.completed_at BEGIN
  DELETE FROM `sprint_totals` WHERE `workspace` = OLD.workspace AND `sprint_id` = OLD.id;
  INSERT OR REPLACE INTO `sprint_totals` (`workspace`, `sprint_id`, `committed_points`, `completed_points`, `fractional_items`)
    SELECT NEW.workspace, NEW.id, coalesce(sum(i.committed * coalesce(i.story_points, 0)), 0), coalesce(sum(CASE WHEN ((i.resolved_at IS NOT NULL AND i.resolved_at <= NEW.completed_at) OR (i.resolved_at IS NULL AND (SELECT ct.to_category FROM transitions ct WHERE ct.workspace = i.workspace AND ct.work_item_id = i.id AND ct.at <= NEW.completed_at ORDER BY ct.at DESC, ct.seq DESC LIMIT 1) = 'done')) THEN coalesce(i.story_points, 0) ELSE 0 END), 0),
      coalesce(sum((i.story_points IS NOT NULL AND i.story_points <> CAST(i.story_points AS INTEGER))), 0)
    FROM (SELECT 1 AS committed, w.workspace, w.id, w.story_points, w.resolved_at, c.sprint_id FROM sprint_committed_items c
          JOIN work_items w ON w.workspace = c.workspace AND w.id = c.work_item_id WHERE c.workspace = NEW.workspace AND c.sprint_id = NEW.id
        UNION ALL SELECT 0, w.workspace, w.id, w.story_points, w.resolved_at, w.sprint_id FROM work_items w WHERE w.workspace = NEW.workspace AND w.sprint_id = NEW.id
          AND NOT EXISTS (SELECT 1 FROM sprint_committed_items c WHERE c.workspace = w.workspace AND c.sprint_id = w.sprint_id AND c.work_item_id = w.id)) AS i;
END;
--> statement-breakpoint
CREATE TRIGGER `sprint_totals_sprint_delete` AFTER DELETE ON `sprints` BEGIN
  DELETE FROM `sprint_totals` WHERE `workspace` = OLD.workspace AND `sprint_id` = OLD.id;
END;
--> statement-breakpoint
INSERT INTO `sprint_totals` (`workspace`, `sprint_id`, `committed_points`, `completed_points`, `fractional_items`)
  SELECT s.workspace, s.id, coalesce(sum(i.committed * coalesce(i.story_points, 0)), 0), coalesce(sum(CASE WHEN ((i.resolved_at IS NOT NULL AND i.resolved_at <= s.completed_at) OR (i.resolved_at IS NULL AND (SELECT ct.to_category FROM transitions ct WHERE ct.workspace = i.workspace AND ct.work_item_id = i.id AND ct.at <= s.completed_at ORDER BY ct.at DESC, ct.seq DESC LIMIT 1) = 'done')) THEN coalesce(i.story_points, 0) ELSE 0 END), 0),
      coalesce(sum((i.story_points IS NOT NULL AND i.story_points <> CAST(i.story_points AS INTEGER))), 0)
  FROM sprints s LEFT JOIN (SELECT 1 AS committed, w.workspace, w.id, w.story_points, w.resolved_at, c.sprint_id FROM sprint_committed_items c
          JOIN work_items w ON w.workspace = c.workspace AND w.id = c.work_item_id WHERE 1
        UNION ALL SELECT 0, w.workspace, w.id, w.story_points, w.resolved_at, w.sprint_id FROM work_items w WHERE w.sprint_id IS NOT NULL
          AND NOT EXISTS (SELECT 1 FROM sprint_committed_items c WHERE c.workspace = w.workspace AND c.sprint_id = w.sprint_id AND c.work_item_id = w.id)) AS i ON i.workspace = s.workspace AND i.sprint_id = s.id
  GROUP BY s.workspace, s.id;
