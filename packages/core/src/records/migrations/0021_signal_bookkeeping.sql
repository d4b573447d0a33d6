DROP INDEX `memberships_person_idx`;
--> statement-breakpoint
CREATE INDEX `memberships_person_team_idx` ON `memberships` (`workspace`,`person_id`,`team_id`);
--> statement-breakpoint
DROP INDEX `transitions_at_idx`;
--> statement-breakpoint
CREATE INDEX `transitions_at_idx` ON `transitions` (`workspace`,`at`,`work_item_id`);
--> statement-breakpoint
DROP INDEX `work_item_assignees_person_idx`;
--> statement-breakpoint
CREATE INDEX `work_item_assignees_person_idx` ON `work_item_assignees` (`workspace`,`person_id`,`work_item_id`);
--> statement-breakpoint
CREATE INDEX `deployments_latest_idx` ON `deployments` (`workspace`,`repository_id`,`environment`,`finished_at`,`status`,`id`);
--> statement-breakpoint
CREATE INDEX `reviews_submitted_idx` ON `reviews` (`workspace`,`submitted_at`);
--> statement-breakpoint
CREATE INDEX `work_items_lower_state_idx` ON `work_items` (`workspace`,lower("state"));
--> statement-breakpoint
CREATE INDEX `work_items_flagged_idx` ON `work_items` (`workspace`,`flagged`);
