DROP INDEX `deployment_pull_requests_item_idx`;
--> statement-breakpoint
CREATE INDEX `deployment_pull_requests_item_idx` ON `deployment_pull_requests` (`workspace`,`work_item_id`,`deployment_id`);
--> statement-breakpoint
CREATE INDEX `deployments_mapping_idx` ON `deployments` (`workspace`,`repository_id`,`has_pull_request_list`,`status`,`finished_at`,`id`,`environment`);
--> statement-breakpoint
CREATE INDEX `incidents_repository_created_idx` ON `incidents` (`workspace`,`repository_id`,`created_at`);
--> statement-breakpoint
CREATE INDEX `reviews_item_submitted_idx` ON `reviews` (`workspace`,`work_item_id`,`submitted_at`,`reviewer_id`);
--> statement-breakpoint
CREATE INDEX `transitions_item_idx` ON `transitions` (`workspace`,`work_item_id`,`at`,`seq`,`to_category`,`to_status`);
--> statement-breakpoint
CREATE INDEX `work_items_resolved_idx` ON `work_items` (`workspace`,`resolved_at`);
