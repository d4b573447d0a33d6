-- The four link tables (an item's assignees and requested reviewers, a sprint's committed items, a deployment's pull
-- requests) keep their rows in their primary key (WITHOUT ROWID): each row is its key, so the table held every row
-- twice, once in itself and once in the primary key's index (about a third of each table with its indexes: 304,
-- 248 and 227 MB for the first three at 10,000 engineers). Their other index holds the same columns in another order,
-- as before. Each is rebuilt as 0073 rebuilt `transitions`: after the first open (`-- after open:`), whole, in one
-- write transaction of its own behind the reads, its rows copied aside in key order, the table dropped, created again
-- and filled from the copy, its index and triggers created again (the change counters' in the signals part). The
-- count is max(rowid) of the old table, an estimate read in a moment.

-- after open: SELECT coalesce(max(rowid), 0) FROM `work_item_assignees`
DROP TABLE IF EXISTS `__new_work_item_assignees`;
CREATE TABLE `__new_work_item_assignees` (
	`workspace` text NOT NULL,
	`work_item_id` text NOT NULL,
	`person_id` text NOT NULL,
	PRIMARY KEY(`workspace`, `work_item_id`, `person_id`)
) WITHOUT ROWID;
INSERT INTO `__new_work_item_assignees` (`workspace`, `work_item_id`, `person_id`) SELECT `workspace`, `work_item_id`, `person_id` FROM `work_item_assignees` ORDER BY `workspace`, `work_item_id`, `person_id`;
DROP TABLE `work_item_assignees`;
CREATE TABLE `work_item_assignees` (
	`workspace` text NOT NULL,
	`work_item_id` text NOT NULL,
	`person_id` text NOT NULL,
	PRIMARY KEY(`workspace`, `work_item_id`, `person_id`)
) WITHOUT ROWID;
INSERT INTO `work_item_assignees` (`workspace`, `work_item_id`, `person_id`) SELECT `workspace`, `work_item_id`, `person_id` FROM `__new_work_item_assignees` ORDER BY `workspace`, `work_item_id`, `person_id`;
DROP TABLE `__new_work_item_assignees`;
CREATE INDEX `work_item_assignees_person_idx` ON `work_item_assignees` (`workspace`,`person_id`,`work_item_id`);
--> statement-breakpoint
-- after open: SELECT coalesce(max(rowid), 0) FROM `review_requests`
DROP TABLE IF EXISTS `__new_review_requests`;
CREATE TABLE `__new_review_requests` (
	`workspace` text NOT NULL,
	`work_item_id` text NOT NULL,
	`person_id` text NOT NULL,
	PRIMARY KEY(`workspace`, `work_item_id`, `person_id`)
) WITHOUT ROWID;
INSERT INTO `__new_review_requests` (`workspace`, `work_item_id`, `person_id`) SELECT `workspace`, `work_item_id`, `person_id` FROM `review_requests` ORDER BY `workspace`, `work_item_id`, `person_id`;
DROP TABLE `review_requests`;
CREATE TABLE `review_requests` (
	`workspace` text NOT NULL,
	`work_item_id` text NOT NULL,
	`person_id` text NOT NULL,
	PRIMARY KEY(`workspace`, `work_item_id`, `person_id`)
) WITHOUT ROWID;
INSERT INTO `review_requests` (`workspace`, `work_item_id`, `person_id`) SELECT `workspace`, `work_item_id`, `person_id` FROM `__new_review_requests` ORDER BY `workspace`, `work_item_id`, `person_id`;
DROP TABLE `__new_review_requests`;
--> statement-breakpoint
-- after open: SELECT coalesce(max(rowid), 0) FROM `sprint_committed_items`
DROP TABLE IF EXISTS `__new_sprint_committed_items`;
CREATE TABLE `__new_sprint_committed_items` (
	`workspace` text NOT NULL,
	`sprint_id` text NOT NULL,
	`work_item_id` text NOT NULL,
	PRIMARY KEY(`workspace`, `sprint_id`, `work_item_id`)
) WITHOUT ROWID;
INSERT INTO `__new_sprint_committed_items` (`workspace`, `sprint_id`, `work_item_id`) SELECT `workspace`, `sprint_id`, `work_item_id` FROM `sprint_committed_items` ORDER BY `workspace`, `sprint_id`, `work_item_id`;
DROP TABLE `sprint_committed_items`;
CREATE TABLE `sprint_committed_items` (
	`workspace` text NOT NULL,
	`sprint_id` text NOT NULL,
	`work_item_id` text NOT NULL,
	PRIMARY KEY(`workspace`, `sprint_id`, `work_item_id`)
) WITHOUT ROWID;
INSERT INTO `sprint_committed_items` (`workspace`, `sprint_id`, `work_item_id`) SELECT `workspace`, `sprint_id`, `work_item_id` FROM `__new_sprint_committed_items` ORDER BY `workspace`, `sprint_id`, `work_item_id`;
DROP TABLE `__new_sprint_committed_items`;
CREATE INDEX `sprint_committed_items_item_idx` ON `sprint_committed_items` (`workspace`,`work_item_id`);
CREATE TRIGGER `sprint_totals_committed_delete` AFTER DELETE ON `sprint_committed_items` BEGIN
  UPDATE `sprint_totals` SET `committed_points` = `committed_points` - coalesce(w.story_points, 0),
      `completed_points` = `completed_points` - CASE WHEN w.sprint_id IS NOT OLD.sprint_id AND ((w.resolved_at IS NOT NULL AND w.resolved_at <= s.completed_at) OR (w.resolved_at IS NULL AND (SELECT ct.to_category FROM transitions ct WHERE ct.workspace = w.workspace AND ct.work_item_id = w.id AND ct.at <= s.completed_at ORDER BY ct.at DESC, ct.seq DESC LIMIT 1) = 'done')) THEN coalesce(w.story_points, 0) ELSE 0 END,
      `fractional_items` = `fractional_items` - CASE WHEN w.sprint_id IS NOT OLD.sprint_id THEN (w.story_points IS NOT NULL AND w.story_points <> CAST(w.story_points AS INTEGER)) ELSE 0 END
    FROM work_items w, sprints s
    WHERE w.workspace = OLD.workspace AND w.id = OLD.work_item_id AND s.workspace = OLD.workspace AND s.id = OLD.sprint_id
      AND `sprint_totals`.`workspace` = OLD.workspace AND `sprint_totals`.`sprint_id` = OLD.sprint_id;
END;
CREATE TRIGGER `sprint_totals_committed_insert` AFTER INSERT ON `sprint_committed_items` BEGIN
  UPDATE `sprint_totals` SET `committed_points` = `committed_points` + coalesce(w.story_points, 0),
      `completed_points` = `completed_points` + CASE WHEN w.sprint_id IS NOT NEW.sprint_id AND ((w.resolved_at IS NOT NULL AND w.resolved_at <= s.completed_at) OR (w.resolved_at IS NULL AND (SELECT ct.to_category FROM transitions ct WHERE ct.workspace = w.workspace AND ct.work_item_id = w.id AND ct.at <= s.completed_at ORDER BY ct.at DESC, ct.seq DESC LIMIT 1) = 'done')) THEN coalesce(w.story_points, 0) ELSE 0 END,
      `fractional_items` = `fractional_items` + CASE WHEN w.sprint_id IS NOT NEW.sprint_id THEN (w.story_points IS NOT NULL AND w.story_points <> CAST(w.story_points AS INTEGER)) ELSE 0 END
    FROM work_items w, sprints s
    WHERE w.workspace = NEW.workspace AND w.id = NEW.work_item_id AND s.workspace = NEW.workspace AND s.id = NEW.sprint_id
      AND `sprint_totals`.`workspace` = NEW.workspace AND `sprint_totals`.`sprint_id` = NEW.sprint_id;
END;
CREATE TRIGGER `sprint_totals_committed_update_after` AFTER UPDATE ON `sprint_committed_items` BEGIN
  UPDATE `sprint_totals` SET `committed_points` = `committed_points` + coalesce(w.story_points, 0),
      `completed_points` = `completed_points` + CASE WHEN w.sprint_id IS NOT NEW.sprint_id AND ((w.resolved_at IS NOT NULL AND w.resolved_at <= s.completed_at) OR (w.resolved_at IS NULL AND (SELECT ct.to_category FROM transitions ct WHERE ct.workspace = w.workspace AND ct.work_item_id = w.id AND ct.at <= s.completed_at ORDER BY ct.at DESC, ct.seq DESC LIMIT 1) = 'done')) THEN coalesce(w.story_points, 0) ELSE 0 END,
      `fractional_items` = `fractional_items` + CASE WHEN w.sprint_id IS NOT NEW.sprint_id THEN (w.story_points IS NOT NULL AND w.story_points <> CAST(w.story_points AS INTEGER)) ELSE 0 END
    FROM work_items w, sprints s
    WHERE w.workspace = NEW.workspace AND w.id = NEW.work_item_id AND s.workspace = NEW.workspace AND s.id = NEW.sprint_id
      AND `sprint_totals`.`workspace` = NEW.workspace AND `sprint_totals`.`sprint_id` = NEW.sprint_id;
END;
CREATE TRIGGER `sprint_totals_committed_update_before` BEFORE UPDATE ON `sprint_committed_items` BEGIN
  UPDATE `sprint_totals` SET `committed_points` = `committed_points` - coalesce(w.story_points, 0),
      `completed_points` = `completed_points` - CASE WHEN w.sprint_id IS NOT OLD.sprint_id AND ((w.resolved_at IS NOT NULL AND w.resolved_at <= s.completed_at) OR (w.resolved_at IS NULL AND (SELECT ct.to_category FROM transitions ct WHERE ct.workspace = w.workspace AND ct.work_item_id = w.id AND ct.at <= s.completed_at ORDER BY ct.at DESC, ct.seq DESC LIMIT 1) = 'done')) THEN coalesce(w.story_points, 0) ELSE 0 END,
      `fractional_items` = `fractional_items` - CASE WHEN w.sprint_id IS NOT OLD.sprint_id THEN (w.story_points IS NOT NULL AND w.story_points <> CAST(w.story_points AS INTEGER)) ELSE 0 END
    FROM work_items w, sprints s
    WHERE w.workspace = OLD.workspace AND w.id = OLD.work_item_id AND s.workspace = OLD.workspace AND s.id = OLD.sprint_id
      AND `sprint_totals`.`workspace` = OLD.workspace AND `sprint_totals`.`sprint_id` = OLD.sprint_id;
END;
--> statement-breakpoint
-- after open: SELECT coalesce(max(rowid), 0) FROM `deployment_pull_requests`
DROP TABLE IF EXISTS `__new_deployment_pull_requests`;
CREATE TABLE `__new_deployment_pull_requests` (
	`workspace` text NOT NULL,
	`deployment_id` text NOT NULL,
	`work_item_id` text NOT NULL,
	PRIMARY KEY(`workspace`, `deployment_id`, `work_item_id`)
) WITHOUT ROWID;
INSERT INTO `__new_deployment_pull_requests` (`workspace`, `deployment_id`, `work_item_id`) SELECT `workspace`, `deployment_id`, `work_item_id` FROM `deployment_pull_requests` ORDER BY `workspace`, `deployment_id`, `work_item_id`;
DROP TABLE `deployment_pull_requests`;
CREATE TABLE `deployment_pull_requests` (
	`workspace` text NOT NULL,
	`deployment_id` text NOT NULL,
	`work_item_id` text NOT NULL,
	PRIMARY KEY(`workspace`, `deployment_id`, `work_item_id`)
) WITHOUT ROWID;
INSERT INTO `deployment_pull_requests` (`workspace`, `deployment_id`, `work_item_id`) SELECT `workspace`, `deployment_id`, `work_item_id` FROM `__new_deployment_pull_requests` ORDER BY `workspace`, `deployment_id`, `work_item_id`;
DROP TABLE `__new_deployment_pull_requests`;
CREATE INDEX `deployment_pull_requests_item_idx` ON `deployment_pull_requests` (`workspace`,`work_item_id`,`deployment_id`);
CREATE TRIGGER `deployment_pull_requests_mapping_delete` AFTER DELETE ON `deployment_pull_requests` BEGIN
  INSERT INTO `deployment_mapping_stale` (workspace, settings, repository_id, since) SELECT k.workspace, k.settings, COALESCE(w.repository_id, ''), w.merged_at FROM `deployment_mapping_keys` k CROSS JOIN `work_items` w ON w.workspace = k.workspace AND w.id = OLD.work_item_id WHERE k.workspace = OLD.workspace AND w.merged_at IS NOT NULL ON CONFLICT (workspace, settings, repository_id) DO UPDATE SET since = min(deployment_mapping_stale.since, excluded.since) WHERE deployment_mapping_stale.since IS NOT NULL AND (excluded.since IS NULL OR excluded.since < deployment_mapping_stale.since);
  INSERT INTO `deployment_mapping_stale` (workspace, settings, repository_id, since) SELECT k.workspace, k.settings, d.repository_id, d.finished_at FROM `deployment_mapping_keys` k CROSS JOIN `deployments` d ON d.workspace = k.workspace AND d.id = OLD.deployment_id WHERE k.workspace = OLD.workspace ON CONFLICT (workspace, settings, repository_id) DO UPDATE SET since = min(deployment_mapping_stale.since, excluded.since) WHERE deployment_mapping_stale.since IS NOT NULL AND (excluded.since IS NULL OR excluded.since < deployment_mapping_stale.since);
END;
CREATE TRIGGER `deployment_pull_requests_mapping_insert` AFTER INSERT ON `deployment_pull_requests` BEGIN
  INSERT INTO `deployment_mapping_stale` (workspace, settings, repository_id, since) SELECT k.workspace, k.settings, COALESCE(w.repository_id, ''), w.merged_at FROM `deployment_mapping_keys` k CROSS JOIN `work_items` w ON w.workspace = k.workspace AND w.id = NEW.work_item_id WHERE k.workspace = NEW.workspace AND w.merged_at IS NOT NULL ON CONFLICT (workspace, settings, repository_id) DO UPDATE SET since = min(deployment_mapping_stale.since, excluded.since) WHERE deployment_mapping_stale.since IS NOT NULL AND (excluded.since IS NULL OR excluded.since < deployment_mapping_stale.since);
  INSERT INTO `deployment_mapping_stale` (workspace, settings, repository_id, since) SELECT k.workspace, k.settings, d.repository_id, d.finished_at FROM `deployment_mapping_keys` k CROSS JOIN `deployments` d ON d.workspace = k.workspace AND d.id = NEW.deployment_id WHERE k.workspace = NEW.workspace ON CONFLICT (workspace, settings, repository_id) DO UPDATE SET since = min(deployment_mapping_stale.since, excluded.since) WHERE deployment_mapping_stale.since IS NOT NULL AND (excluded.since IS NULL OR excluded.since < deployment_mapping_stale.since);
END;
CREATE TRIGGER `deployment_pull_requests_mapping_update` AFTER UPDATE ON `deployment_pull_requests` BEGIN
  INSERT INTO `deployment_mapping_stale` (workspace, settings, repository_id, since) SELECT k.workspace, k.settings, COALESCE(w.repository_id, ''), w.merged_at FROM `deployment_mapping_keys` k CROSS JOIN `work_items` w ON w.workspace = k.workspace AND w.id = OLD.work_item_id WHERE k.workspace = OLD.workspace AND w.merged_at IS NOT NULL ON CONFLICT (workspace, settings, repository_id) DO UPDATE SET since = min(deployment_mapping_stale.since, excluded.since) WHERE deployment_mapping_stale.since IS NOT NULL AND (excluded.since IS NULL OR excluded.since < deployment_mapping_stale.since);
  INSERT INTO `deployment_mapping_stale` (workspace, settings, repository_id, since) SELECT k.workspace, k.settings, d.repository_id, d.finished_at FROM `deployment_mapping_keys` k CROSS JOIN `deployments` d ON d.workspace = k.workspace AND d.id = OLD.deployment_id WHERE k.workspace = OLD.workspace ON CONFLICT (workspace, settings, repository_id) DO UPDATE SET since = min(deployment_mapping_stale.since, excluded.since) WHERE deployment_mapping_stale.since IS NOT NULL AND (excluded.since IS NULL OR excluded.since < deployment_mapping_stale.since);
  INSERT INTO `deployment_mapping_stale` (workspace, settings, repository_id, since) SELECT k.workspace, k.settings, COALESCE(w.repository_id, ''), w.merged_at FROM `deployment_mapping_keys` k CROSS JOIN `work_items` w ON w.workspace = k.workspace AND w.id = NEW.work_item_id WHERE k.workspace = NEW.workspace AND w.merged_at IS NOT NULL ON CONFLICT (workspace, settings, repository_id) DO UPDATE SET since = min(deployment_mapping_stale.since, excluded.since) WHERE deployment_mapping_stale.since IS NOT NULL AND (excluded.since IS NULL OR excluded.since < deployment_mapping_stale.since);
  INSERT INTO `deployment_mapping_stale` (workspace, settings, repository_id, since) SELECT k.workspace, k.settings, d.repository_id, d.finished_at FROM `deployment_mapping_keys` k CROSS JOIN `deployments` d ON d.workspace = k.workspace AND d.id = NEW.deployment_id WHERE k.workspace = NEW.workspace ON CONFLICT (workspace, settings, repository_id) DO UPDATE SET since = min(deployment_mapping_stale.since, excluded.since) WHERE deployment_mapping_stale.since IS NOT NULL AND (excluded.since IS NULL OR excluded.since < deployment_mapping_stale.since);
END;
