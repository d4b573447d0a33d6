-- Three indexes another index or the primary key already serves (25.6 MB of the large demo). transitions_item_idx
-- copied every transition in (workspace, item, at, seq) order, the primary key's leading columns with the time: an
-- item has a few transitions, so its readers (status as of an instant, time in status, the sprint-totals triggers'
-- last move before a sprint's end, the standup digest's moves in a window) seek them by the primary key and sort or
-- filter those few rows. deployments_finished_idx held (workspace, finished_at), the leading columns of
-- deployments_window_idx, which answers the same ranges (an incident brief's suspects name it);
-- pull_request_deployments_item_idx began with the whole primary key, so a PR's deploying deployment is one seek of
-- the key and a read of its row. Nothing to backfill.

DROP INDEX `transitions_item_idx`;
--> statement-breakpoint
DROP INDEX `deployments_finished_idx`;
--> statement-breakpoint
DROP INDEX `pull_request_deployments_item_idx`;
