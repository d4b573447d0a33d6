-- transitions_item_idx (19.8 MB of the large demo) copied every transition in (workspace, item, at, seq) order, the
-- primary key's leading columns with the time: an item has a few transitions, so its readers (status as of an
-- instant, time in status, the sprint-totals triggers' last move before a sprint's end, the standup digest's moves in
-- a window) seek them by the primary key and sort or filter those few rows. Nothing to backfill.

DROP INDEX `transitions_item_idx`;
