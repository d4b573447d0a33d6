-- `reviews` keeps its rows in its primary key (WITHOUT ROWID), in (workspace, item, seq) order, as 0073 did for
-- `transitions`: an item's reviews (first_review_at, ts.aiImpact(), the review queue) are one seek and a few
-- neighbouring rows, and the table no longer holds each review's key twice (the primary key's index was 120 MB at
-- 10,000 engineers). The index of a reviewer's reviews now ends with the item and seq instead of a row id, which lets
-- its readers join the item without reading the review's row. The table is rebuilt after the first open
-- (`-- after open:`), whole, in one write transaction of its own behind the reads: its rows copied aside in key order,
-- the table dropped, created again and filled from the copy, its indexes and the open-PR reviews' triggers created
-- again (the change counters' in the signals part of this migration). The count is max(rowid) of the old table, an
-- estimate read in a moment.

-- after open: SELECT coalesce(max(rowid), 0) FROM `reviews`
DROP TABLE IF EXISTS `__new_reviews`;
CREATE TABLE `__new_reviews` (
	`workspace` text NOT NULL,
	`work_item_id` text NOT NULL,
	`seq` integer NOT NULL,
	`reviewer_id` text NOT NULL,
	`state` text NOT NULL,
	`submitted_at` integer NOT NULL,
	PRIMARY KEY(`workspace`, `work_item_id`, `seq`)
) WITHOUT ROWID;
INSERT INTO `__new_reviews` (`workspace`, `work_item_id`, `seq`, `reviewer_id`, `state`, `submitted_at`)
  SELECT `workspace`, `work_item_id`, `seq`, `reviewer_id`, `state`, `submitted_at` FROM `reviews` ORDER BY `workspace`, `work_item_id`, `seq`;
DROP TABLE `reviews`;
CREATE TABLE `reviews` (
	`workspace` text NOT NULL,
	`work_item_id` text NOT NULL,
	`seq` integer NOT NULL,
	`reviewer_id` text NOT NULL,
	`state` text NOT NULL,
	`submitted_at` integer NOT NULL,
	PRIMARY KEY(`workspace`, `work_item_id`, `seq`)
) WITHOUT ROWID;
INSERT INTO `reviews` (`workspace`, `work_item_id`, `seq`, `reviewer_id`, `state`, `submitted_at`)
  SELECT `workspace`, `work_item_id`, `seq`, `reviewer_id`, `state`, `submitted_at` FROM `__new_reviews` ORDER BY `workspace`, `work_item_id`, `seq`;
DROP TABLE `__new_reviews`;
CREATE INDEX `reviews_reviewer_idx` ON `reviews` (`workspace`,`reviewer_id`,`submitted_at`);
CREATE INDEX `reviews_submitted_idx` ON `reviews` (`workspace`,`submitted_at`,`work_item_id`,`reviewer_id`);
CREATE TRIGGER `open_pr_reviews_review_delete` AFTER DELETE ON `reviews` BEGIN
  DELETE FROM `open_pr_reviews` WHERE workspace = OLD.workspace AND work_item_id = OLD.work_item_id AND seq = OLD.seq;
END;
CREATE TRIGGER `open_pr_reviews_review_insert` AFTER INSERT ON `reviews` BEGIN
  INSERT OR REPLACE INTO `open_pr_reviews` (workspace, work_item_id, seq, reviewer_id, state, submitted_at)
    SELECT NEW.workspace, NEW.work_item_id, NEW.seq, NEW.reviewer_id, NEW.state, NEW.submitted_at FROM `work_items` i
    WHERE i.workspace = NEW.workspace AND i.id = NEW.work_item_id AND i.kind = 'pull_request' AND i.state = 'open';
END;
CREATE TRIGGER `open_pr_reviews_review_update` AFTER UPDATE OF `workspace`, `work_item_id`, `seq`, `reviewer_id`, `state`, `submitted_at` ON `reviews`
  WHEN OLD.workspace IS NOT NEW.workspace OR OLD.work_item_id IS NOT NEW.work_item_id OR OLD.seq IS NOT NEW.seq
    OR OLD.reviewer_id IS NOT NEW.reviewer_id OR OLD.state IS NOT NEW.state OR OLD.submitted_at IS NOT NEW.submitted_at BEGIN
  DELETE FROM `open_pr_reviews` WHERE workspace = OLD.workspace AND work_item_id = OLD.work_item_id AND seq = OLD.seq;
  INSERT OR REPLACE INTO `open_pr_reviews` (workspace, work_item_id, seq, reviewer_id, state, submitted_at)
    SELECT NEW.workspace, NEW.work_item_id, NEW.seq, NEW.reviewer_id, NEW.state, NEW.submitted_at FROM `work_items` i
    WHERE i.workspace = NEW.workspace AND i.id = NEW.work_item_id AND i.kind = 'pull_request' AND i.state = 'open';
END;
