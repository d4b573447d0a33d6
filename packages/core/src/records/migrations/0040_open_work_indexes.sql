-- Signals read what is open now: the open pull requests and the items in progress, each through a partial index that
-- holds only them (thousands of rows of millions) with every column the detectors read, so that no item's row (title,
-- body) is read per open PR.

CREATE INDEX `work_items_open_pr_idx` ON `work_items` (`workspace`,`id`,`author_id`,`draft`,`ready_at`,`created_at`,`updated_at`,`additions`,`deletions`,`team_id`,`repository_id`,`key`,`title`) WHERE kind = 'pull_request' AND state = 'open';
--> statement-breakpoint
CREATE INDEX `work_items_in_progress_idx` ON `work_items` (`workspace`,`kind`,`id`,`key`) WHERE status_category = 'in_progress';
