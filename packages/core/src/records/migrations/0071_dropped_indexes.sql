-- Three indexes another index or the primary key already serves (25.6 MB of the large demo). transitions_item_idx
-- copied every transition in (workspace, item, at, seq) order, the primary key's leading columns with the time: an
-- item has a few transitions, so its readers (status as of an instant, time in status, the sprint-totals triggers'
-- last move before a sprint's end, the standup digest's moves in a window) seek them by the primary key and sort or
-- filter those few rows. deployments_finished_idx held (workspace, finished_at), the leading columns of
-- deployments_window_idx, which answers the same ranges (an incident brief's suspects name it);
-- pull_request_deployments_item_idx began with the whole primary key, so a PR's deploying deployment is one seek of
-- the key and a read of its row. Nothing to backfill.
-- The drops run after the first open (`-- after open:`), each in a write transaction of its own behind the reads:
-- dropping an index reads every one of its pages, which held the first open of a 10,000-engineer database for 7.5 s
-- (transitions_item_idx, pages not cached). Until then the indexes are kept up to date as before. The count is
-- max(rowid), an estimate read in a moment.

-- after open: SELECT coalesce(max(rowid), 0) FROM `transitions`
DROP INDEX IF EXISTS `transitions_item_idx`;
--> statement-breakpoint
-- after open: SELECT coalesce(max(rowid), 0) FROM `deployments`
DROP INDEX IF EXISTS `deployments_finished_idx`;
--> statement-breakpoint
-- after open: SELECT coalesce(max(rowid), 0) FROM `pull_request_deployments`
DROP INDEX IF EXISTS `pull_request_deployments_item_idx`;
