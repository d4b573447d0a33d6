-- An item's reviews with their order and state as well as when and by whom: an open PR's latest review by each
-- reviewer, and whether it asked for changes, read from the index alone (signals: pr.changes_requested_idle,
-- person.overloaded), not from each review's row.

DROP INDEX `reviews_item_submitted_idx`;
--> statement-breakpoint
CREATE INDEX `reviews_item_submitted_idx` ON `reviews` (`workspace`,`work_item_id`,`submitted_at`,`reviewer_id`,`seq`,`state`);
