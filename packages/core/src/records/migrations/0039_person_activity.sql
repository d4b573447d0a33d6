-- person_activity: each person's activity, one row per act (a pull request opened and one merged by its author, a
-- review submitted by someone other than the item's author, an issue's move for each of its assignees), kept by
-- triggers on its four sources whatever the writer. A row needs its item and, for a move, its transition and assignee:
-- it is added by whichever of them is written last (the others' triggers find it missing and add nothing) and removed
-- or rewritten with any of them. An item whose kind, author, created or merged time changes has its rows made again.
-- Updates that change none of a row's inputs (an upsert that rewrites a title, a transition's next_at) fire nothing.
-- WITHOUT ROWID: its rows live in its primary key (two B-trees per row, not three); drizzle's snapshot does not record
-- it. The existing rows are added at the end, from the same definition.

CREATE TABLE `person_activity` (
	`workspace` text NOT NULL,
	`work_item_id` text NOT NULL,
	`source` text NOT NULL,
	`seq` integer NOT NULL,
	`person_id` text NOT NULL,
	`at` integer NOT NULL,
	PRIMARY KEY(`workspace`, `work_item_id`, `source`, `seq`, `person_id`)
) WITHOUT ROWID;
--> statement-breakpoint
CREATE INDEX `person_activity_person_idx` ON `person_activity` (`workspace`,`person_id`,`at`);
--> statement-breakpoint
CREATE TRIGGER `person_activity_item_insert` AFTER INSERT ON `work_items` BEGIN
  INSERT OR REPLACE INTO `person_activity` (workspace, work_item_id, source, seq, person_id, at)
    SELECT NEW.workspace, NEW.id, 'opened', 0, NEW.author_id, NEW.created_at WHERE NEW.kind = 'pull_request' AND NEW.author_id IS NOT NULL
    UNION ALL SELECT NEW.workspace, NEW.id, 'merged', 0, NEW.author_id, NEW.merged_at WHERE NEW.kind = 'pull_request' AND NEW.author_id IS NOT NULL AND NEW.merged_at IS NOT NULL
    UNION ALL SELECT r.workspace, r.work_item_id, 'review', r.seq, r.reviewer_id, r.submitted_at FROM `reviews` r
      WHERE r.workspace = NEW.workspace AND r.work_item_id = NEW.id AND r.reviewer_id IS NOT NEW.author_id
    UNION ALL SELECT t.workspace, t.work_item_id, 'move', t.seq, a.person_id, t.at FROM `transitions` t
      JOIN `work_item_assignees` a ON a.workspace = t.workspace AND a.work_item_id = t.work_item_id
      WHERE t.workspace = NEW.workspace AND t.work_item_id = NEW.id AND NEW.kind <> 'pull_request';
END;
--> statement-breakpoint
CREATE TRIGGER `person_activity_item_update` AFTER UPDATE OF `id`, `kind`, `author_id`, `created_at`, `merged_at` ON `work_items`
  WHEN OLD.id IS NOT NEW.id OR OLD.kind IS NOT NEW.kind OR OLD.author_id IS NOT NEW.author_id OR OLD.created_at IS NOT NEW.created_at
    OR OLD.merged_at IS NOT NEW.merged_at BEGIN
  DELETE FROM `person_activity` WHERE workspace = OLD.workspace AND work_item_id = OLD.id;
  INSERT OR REPLACE INTO `person_activity` (workspace, work_item_id, source, seq, person_id, at)
    SELECT NEW.workspace, NEW.id, 'opened', 0, NEW.author_id, NEW.created_at WHERE NEW.kind = 'pull_request' AND NEW.author_id IS NOT NULL
    UNION ALL SELECT NEW.workspace, NEW.id, 'merged', 0, NEW.author_id, NEW.merged_at WHERE NEW.kind = 'pull_request' AND NEW.author_id IS NOT NULL AND NEW.merged_at IS NOT NULL
    UNION ALL SELECT r.workspace, r.work_item_id, 'review', r.seq, r.reviewer_id, r.submitted_at FROM `reviews` r
      WHERE r.workspace = NEW.workspace AND r.work_item_id = NEW.id AND r.reviewer_id IS NOT NEW.author_id
    UNION ALL SELECT t.workspace, t.work_item_id, 'move', t.seq, a.person_id, t.at FROM `transitions` t
      JOIN `work_item_assignees` a ON a.workspace = t.workspace AND a.work_item_id = t.work_item_id
      WHERE t.workspace = NEW.workspace AND t.work_item_id = NEW.id AND NEW.kind <> 'pull_request';
END;
--> statement-breakpoint
CREATE TRIGGER `person_activity_item_delete` AFTER DELETE ON `work_items` BEGIN
  DELETE FROM `person_activity` WHERE workspace = OLD.workspace AND work_item_id = OLD.id;
END;
--> statement-breakpoint
CREATE TRIGGER `person_activity_review_insert` AFTER INSERT ON `reviews` BEGIN
  INSERT OR REPLACE INTO `person_activity` (workspace, work_item_id, source, seq, person_id, at)
    SELECT NEW.workspace, NEW.work_item_id, 'review', NEW.seq, NEW.reviewer_id, NEW.submitted_at FROM `work_items` i
    WHERE i.workspace = NEW.workspace AND i.id = NEW.work_item_id AND i.author_id IS NOT NEW.reviewer_id;
END;
--> statement-breakpoint
CREATE TRIGGER `person_activity_review_update` AFTER UPDATE OF `work_item_id`, `seq`, `reviewer_id`, `submitted_at` ON `reviews`
  WHEN OLD.work_item_id IS NOT NEW.work_item_id OR OLD.seq IS NOT NEW.seq OR OLD.reviewer_id IS NOT NEW.reviewer_id
    OR OLD.submitted_at IS NOT NEW.submitted_at BEGIN
  DELETE FROM `person_activity` WHERE workspace = OLD.workspace AND work_item_id = OLD.work_item_id AND source = 'review' AND seq = OLD.seq;
  INSERT OR REPLACE INTO `person_activity` (workspace, work_item_id, source, seq, person_id, at)
    SELECT NEW.workspace, NEW.work_item_id, 'review', NEW.seq, NEW.reviewer_id, NEW.submitted_at FROM `work_items` i
    WHERE i.workspace = NEW.workspace AND i.id = NEW.work_item_id AND i.author_id IS NOT NEW.reviewer_id;
END;
--> statement-breakpoint
CREATE TRIGGER `person_activity_review_delete` AFTER DELETE ON `reviews` BEGIN
  DELETE FROM `person_activity` WHERE workspace = OLD.workspace AND work_item_id = OLD.work_item_id AND source = 'review' AND seq = OLD.seq;
END;
--> statement-breakpoint
CREATE TRIGGER `person_activity_transition_insert` AFTER INSERT ON `transitions` BEGIN
  INSERT OR REPLACE INTO `person_activity` (workspace, work_item_id, source, seq, person_id, at)
    SELECT NEW.workspace, NEW.work_item_id, 'move', NEW.seq, a.person_id, NEW.at FROM `work_items` i
      JOIN `work_item_assignees` a ON a.workspace = NEW.workspace AND a.work_item_id = NEW.work_item_id
    WHERE i.workspace = NEW.workspace AND i.id = NEW.work_item_id AND i.kind <> 'pull_request';
END;
--> statement-breakpoint
CREATE TRIGGER `person_activity_transition_update` AFTER UPDATE OF `work_item_id`, `seq`, `at` ON `transitions`
  WHEN OLD.work_item_id IS NOT NEW.work_item_id OR OLD.seq IS NOT NEW.seq OR OLD.at IS NOT NEW.at BEGIN
  DELETE FROM `person_activity` WHERE workspace = OLD.workspace AND work_item_id = OLD.work_item_id AND source = 'move' AND seq = OLD.seq;
  INSERT OR REPLACE INTO `person_activity` (workspace, work_item_id, source, seq, person_id, at)
    SELECT NEW.workspace, NEW.work_item_id, 'move', NEW.seq, a.person_id, NEW.at FROM `work_items` i
      JOIN `work_item_assignees` a ON a.workspace = NEW.workspace AND a.work_item_id = NEW.work_item_id
    WHERE i.workspace = NEW.workspace AND i.id = NEW.work_item_id AND i.kind <> 'pull_request';
END;
--> statement-breakpoint
CREATE TRIGGER `person_activity_transition_delete` AFTER DELETE ON `transitions` BEGIN
  DELETE FROM `person_activity` WHERE workspace = OLD.workspace AND work_item_id = OLD.work_item_id AND source = 'move' AND seq = OLD.seq;
END;
--> statement-breakpoint
CREATE TRIGGER `person_activity_assignee_insert` AFTER INSERT ON `work_item_assignees` BEGIN
  INSERT OR REPLACE INTO `person_activity` (workspace, work_item_id, source, seq, person_id, at)
    SELECT NEW.workspace, NEW.work_item_id, 'move', t.seq, NEW.person_id, t.at FROM `work_items` i
      JOIN `transitions` t ON t.workspace = NEW.workspace AND t.work_item_id = NEW.work_item_id
    WHERE i.workspace = NEW.workspace AND i.id = NEW.work_item_id AND i.kind <> 'pull_request';
END;
--> statement-breakpoint
CREATE TRIGGER `person_activity_assignee_update` AFTER UPDATE ON `work_item_assignees`
  WHEN OLD.work_item_id IS NOT NEW.work_item_id OR OLD.person_id IS NOT NEW.person_id BEGIN
  DELETE FROM `person_activity` WHERE workspace = OLD.workspace AND work_item_id = OLD.work_item_id AND source = 'move' AND person_id = OLD.person_id;
  INSERT OR REPLACE INTO `person_activity` (workspace, work_item_id, source, seq, person_id, at)
    SELECT NEW.workspace, NEW.work_item_id, 'move', t.seq, NEW.person_id, t.at FROM `work_items` i
      JOIN `transitions` t ON t.workspace = NEW.workspace AND t.work_item_id = NEW.work_item_id
    WHERE i.workspace = NEW.workspace AND i.id = NEW.work_item_id AND i.kind <> 'pull_request';
END;
--> statement-breakpoint
CREATE TRIGGER `person_activity_assignee_delete` AFTER DELETE ON `work_item_assignees` BEGIN
  DELETE FROM `person_activity` WHERE workspace = OLD.workspace AND work_item_id = OLD.work_item_id AND source = 'move' AND person_id = OLD.person_id;
END;
--> statement-breakpoint
INSERT INTO `person_activity` (workspace, work_item_id, source, seq, person_id, at)
  SELECT workspace, id, 'opened', 0, author_id, created_at FROM `work_items` WHERE kind = 'pull_request' AND author_id IS NOT NULL
  UNION ALL SELECT workspace, id, 'merged', 0, author_id, merged_at FROM `work_items` WHERE kind = 'pull_request' AND author_id IS NOT NULL AND merged_at IS NOT NULL
  UNION ALL SELECT r.workspace, r.work_item_id, 'review', r.seq, r.reviewer_id, r.submitted_at FROM `reviews` r
    JOIN `work_items` i ON i.workspace = r.workspace AND i.id = r.work_item_id WHERE r.reviewer_id IS NOT i.author_id
  UNION ALL SELECT t.workspace, t.work_item_id, 'move', t.seq, a.person_id, t.at FROM `transitions` t
    JOIN `work_items` i ON i.workspace = t.workspace AND i.id = t.work_item_id
    JOIN `work_item_assignees` a ON a.workspace = t.workspace AND a.work_item_id = t.work_item_id
    WHERE i.kind <> 'pull_request';
