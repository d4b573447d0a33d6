ALTER TABLE `transitions` ADD `next_at` integer;
--> statement-breakpoint
UPDATE `transitions` SET `next_at` = n.next_at FROM (SELECT workspace, work_item_id, seq, lead(at) OVER (PARTITION BY workspace, work_item_id ORDER BY at, seq) AS next_at FROM `transitions`) AS n WHERE `transitions`.workspace = n.workspace AND `transitions`.work_item_id = n.work_item_id AND `transitions`.seq = n.seq AND n.next_at IS NOT NULL;
--> statement-breakpoint
CREATE INDEX `transitions_in_progress_idx` ON `transitions` (`workspace`,`work_item_id`,`at`,`next_at`,`to_status`) WHERE to_category = 'in_progress';
