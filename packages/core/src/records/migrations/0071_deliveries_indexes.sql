-- Two indexes of the delivery tables that another index or the primary key already serves (5.8 MB of the large
-- demo): deployments_finished_idx held (workspace, finished_at), the leading columns of deployments_window_idx, which
-- answers the same ranges (an incident brief's suspects name it); pull_request_deployments_item_idx began with the
-- whole primary key, so a PR's deploying deployment is one seek of the key and a read of its row. Nothing to backfill.

DROP INDEX `deployments_finished_idx`;
--> statement-breakpoint
DROP INDEX `pull_request_deployments_item_idx`;
