-- Four indexes of work_items hold only the rows their readers ask for: the merged items (every reader of
-- work_items_kind_merged_idx asks for a range of merge times), the items of a repository (every reader of
-- work_items_repository_merged_idx asks for one's), the items in a sprint (the sprint metrics, goals and the
-- sprint-totals triggers ask for one sprint's) and the items moved into progress (wip's team candidates ask for those
-- moved by `to`). Each is built again from the table after the first open (`-- after open:`), a write transaction of
-- its own behind the reads, under its own name (readers name them with INDEXED BY): until then they read the old one.

-- after open: SELECT count(*) FROM `work_items`
DROP INDEX IF EXISTS `work_items_kind_merged_idx`;
CREATE INDEX IF NOT EXISTS `work_items_kind_merged_idx` ON `work_items` (`workspace`,`kind`,`merged_at`,`created_at`,`first_commit_at`,`ready_at`,`first_review_at`,`additions`,`deletions`,`repository_id`,`id`) WHERE merged_at IS NOT NULL;
--> statement-breakpoint
-- after open: SELECT count(*) FROM `work_items`
DROP INDEX IF EXISTS `work_items_repository_merged_idx`;
CREATE INDEX IF NOT EXISTS `work_items_repository_merged_idx` ON `work_items` (`workspace`,`repository_id`,`merged_at`,`kind`,`created_at`,`first_commit_at`,`ready_at`,`first_review_at`,`additions`,`deletions`,`id`) WHERE repository_id IS NOT NULL;
--> statement-breakpoint
-- after open: SELECT count(*) FROM `work_items`
DROP INDEX IF EXISTS `work_items_sprint_idx`;
CREATE INDEX IF NOT EXISTS `work_items_sprint_idx` ON `work_items` (`workspace`,`sprint_id`,`id`,`story_points`,`resolved_at`,`key`) WHERE sprint_id IS NOT NULL;
--> statement-breakpoint
-- after open: SELECT count(*) FROM `work_items`
DROP INDEX IF EXISTS `work_items_team_in_progress_idx`;
CREATE INDEX IF NOT EXISTS `work_items_team_in_progress_idx` ON `work_items` (`workspace`,`team_id`,`in_progress_until`,`first_in_progress_at`,`kind`,`id`,`key`) WHERE first_in_progress_at IS NOT NULL;
