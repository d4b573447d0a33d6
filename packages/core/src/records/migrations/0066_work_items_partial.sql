-- Two indexes of work_items hold only the rows their readers ask for: the resolved items (every reader of
-- work_items_resolved_idx asks for a range of resolution times) and the flagged ones (their readers ask for
-- `flagged = 1`). On the large demo: 8.5 -> 2.7 and 2.0 -> 0.0 MB. Each is built again from the table, inside the
-- migration's write transaction: 71 ms for both on the large demo (120,000 items; a plain open takes 15 ms), one read
-- of the table each at the full 10,000-engineer size. Nothing to backfill.

DROP INDEX `work_items_resolved_idx`;
--> statement-breakpoint
DROP INDEX `work_items_flagged_idx`;
--> statement-breakpoint
CREATE INDEX `work_items_resolved_idx` ON `work_items` (`workspace`,`resolved_at`,`kind`,`id`,`key`) WHERE resolved_at IS NOT NULL;
--> statement-breakpoint
CREATE INDEX `work_items_flagged_idx` ON `work_items` (`workspace`,`flagged`) WHERE flagged = 1;
