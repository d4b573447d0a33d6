-- open_pr_reviews: the reviews of the pull requests that are open now (kind 'pull_request', state 'open'), as reviews
-- has them, kept by triggers on reviews and work_items whatever the writer. A review is added as it is written when
-- its item is an open PR, or with its item when the item is written (or becomes an open PR) after it; an item's rows
-- go when it is merged, closed, removed or stops being a pull request. Updates that change none of a row's inputs (an
-- upsert that rewrites a title) fire nothing. The open-PR detectors seek an open PR's reviews here, among a few
-- thousand, instead of among every review of the organisation (at 10,000 engineers, each of 11,000 open PRs' look-ups
-- was an index page of its own). WITHOUT ROWID: its rows live in its primary key; drizzle's snapshot does not record
-- it. The existing rows are added at the end, from the same definition.

CREATE TABLE `open_pr_reviews` (
	`workspace` text NOT NULL,
	`work_item_id` text NOT NULL,
	`seq` integer NOT NULL,
	`reviewer_id` text NOT NULL,
	`state` text NOT NULL,
	`submitted_at` integer NOT NULL,
	PRIMARY KEY(`workspace`, `work_item_id`, `seq`)
) WITHOUT ROWID;
--> statement-breakpoint
CREATE TRIGGER `open_pr_reviews_item_insert` AFTER INSERT ON `work_items`
  WHEN NEW.kind = 'pull_request' AND NEW.state = 'open' BEGIN
  INSERT OR REPLACE INTO `open_pr_reviews` (workspace, work_item_id, seq, reviewer_id, state, submitted_at)
    SELECT r.workspace, r.work_item_id, r.seq, r.reviewer_id, r.state, r.submitted_at FROM `reviews` r
    WHERE r.workspace = NEW.workspace AND r.work_item_id = NEW.id;
END;
--> statement-breakpoint
CREATE TRIGGER `open_pr_reviews_item_update` AFTER UPDATE OF `id`, `kind`, `state` ON `work_items`
  WHEN (OLD.id IS NOT NEW.id OR OLD.kind IS NOT NEW.kind OR OLD.state IS NOT NEW.state)
    AND ((OLD.kind = 'pull_request' AND OLD.state = 'open') OR (NEW.kind = 'pull_request' AND NEW.state = 'open')) BEGIN
  DELETE FROM `open_pr_reviews` WHERE workspace = OLD.workspace AND work_item_id = OLD.id;
  INSERT OR REPLACE INTO `open_pr_reviews` (workspace, work_item_id, seq, reviewer_id, state, submitted_at)
    SELECT r.workspace, r.work_item_id, r.seq, r.reviewer_id, r.state, r.submitted_at FROM `reviews` r
    WHERE r.workspace = NEW.workspace AND r.work_item_id = NEW.id AND NEW.kind = 'pull_request' AND NEW.state = 'open';
END;
--> statement-breakpoint
CREATE TRIGGER `open_pr_reviews_item_delete` AFTER DELETE ON `work_items`
  WHEN OLD.kind = 'pull_request' AND OLD.state = 'open' BEGIN
  DELETE FROM `open_pr_reviews` WHERE workspace = OLD.workspace AND work_item_id = OLD.id;
END;
--> statement-breakpoint
CREATE TRIGGER `open_pr_reviews_review_insert` AFTER INSERT ON `reviews` BEGIN
  INSERT OR REPLACE INTO `open_pr_reviews` (workspace, work_item_id, seq, reviewer_id, state, submitted_at)
    SELECT NEW.workspace, NEW.work_item_id, NEW.seq, NEW.reviewer_id, NEW.state, NEW.submitted_at FROM `work_items` i
    WHERE i.workspace = NEW.workspace AND i.id = NEW.work_item_id AND i.kind = 'pull_request' AND i.state = 'open';
END;
--> statement-breakpoint
CREATE TRIGGER `open_pr_reviews_review_update` AFTER UPDATE OF `workspace`, `work_item_id`, `seq`, `reviewer_id`, `state`, `submitted_at` ON `reviews`
  WHEN OLD.workspace IS NOT NEW.workspace OR OLD.work_item_id IS NOT NEW.work_item_id OR OLD.seq IS NOT NEW.seq
    OR OLD.reviewer_id IS NOT NEW.reviewer_id OR OLD.state IS NOT NEW.state OR OLD.submitted_at IS NOT NEW.submitted_at BEGIN
  DELETE FROM `open_pr_reviews` WHERE workspace = OLD.workspace AND work_item_id = OLD.work_item_id AND seq = OLD.seq;
  INSERT OR REPLACE INTO `open_pr_reviews` (workspace, work_item_id, seq, reviewer_id, state, submitted_at)
    SELECT NEW.workspace, NEW.work_item_id, NEW.seq, NEW.reviewer_id, NEW.state, NEW.submitted_at FROM `work_items` i
    WHERE i.workspace = NEW.workspace AND i.id = NEW.work_item_id AND i.kind = 'pull_request' AND i.state = 'open';
END;
--> statement-breakpoint
CREATE TRIGGER `open_pr_reviews_review_delete` AFTER DELETE ON `reviews` BEGIN
  DELETE FROM `open_pr_reviews` WHERE workspace = OLD.workspace AND work_item_id = OLD.work_item_id AND seq = OLD.seq;
END;
--> statement-breakpoint
INSERT INTO `open_pr_reviews` (workspace, work_item_id, seq, reviewer_id, state, submitted_at)
  SELECT r.workspace, r.work_item_id, r.seq, r.reviewer_id, r.state, r.submitted_at FROM `work_items` w
    JOIN `reviews` r ON r.workspace = w.workspace AND r.work_item_id = w.id
  WHERE w.kind = 'pull_request' AND w.state = 'open'
  ORDER BY 1, 2, 3;
