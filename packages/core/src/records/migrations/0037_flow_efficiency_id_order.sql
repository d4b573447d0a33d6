DROP INDEX `work_items_id_people_idx`;
--> statement-breakpoint
CREATE INDEX `work_items_id_people_idx` ON `work_items` (`workspace`,`id`,`kind`,`author_id`,`team_id`,`repository_id`,`resolved_at`,`key`);
