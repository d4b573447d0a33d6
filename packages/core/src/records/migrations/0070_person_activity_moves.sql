-- person_activity no longer keeps the moves of issues (one row per transition per assignee, 306,580 of the large
-- demo's 527,545 rows, about 50 MB with their index entries): they are exactly transitions joined with
-- work_item_assignees, which their readers (person.after_hours, allocation) read instead, a person's assignments by
-- work_item_assignees_person_idx and each item's moves by the primary key. The triggers on transitions and assignees
-- go; those on items write their opened, merged and review rows only. The stored moves are deleted in batches after
-- the open (every reader skips them: `source <> 'move'`).

DROP TRIGGER `person_activity_transition_insert`;
--> statement-breakpoint
DROP TRIGGER `person_activity_transition_update`;
--> statement-breakpoint
DROP TRIGGER `person_activity_transition_delete`;
--> statement-breakpoint
DROP TRIGGER `person_activity_assignee_insert`;
--> statement-breakpoint
DROP TRIGGER `person_activity_assignee_update`;
--> statement-breakpoint
DROP TRIGGER `person_activity_assignee_delete`;
--> statement-breakpoint
DROP TRIGGER `person_activity_item_insert`;
--> statement-breakpoint
DROP TRIGGER `person_activity_item_update`;
--> statement-breakpoint
CREATE TRIGGER `person_activity_item_insert` AFTER INSERT ON `work_items` BEGIN
  INSERT OR REPLACE INTO `person_activity` (workspace, work_item_id, source, seq, person_id, at, team_id, repository_id)
    SELECT NEW.workspace, NEW.id, 'opened', 0, NEW.author_id, NEW.created_at, NULL, NULL WHERE NEW.kind = 'pull_request' AND NEW.author_id IS NOT NULL
    UNION ALL SELECT NEW.workspace, NEW.id, 'merged', 0, NEW.author_id, NEW.merged_at, NULL, NULL WHERE NEW.kind = 'pull_request' AND NEW.author_id IS NOT NULL AND NEW.merged_at IS NOT NULL
    UNION ALL SELECT r.workspace, r.work_item_id, 'review', r.seq, r.reviewer_id, r.submitted_at, NEW.team_id, NEW.repository_id FROM `reviews` r
      WHERE r.workspace = NEW.workspace AND r.work_item_id = NEW.id AND r.reviewer_id IS NOT NEW.author_id;
END;
--> statement-breakpoint
CREATE TRIGGER `person_activity_item_update` AFTER UPDATE OF `id`, `kind`, `author_id`, `created_at`, `merged_at`, `team_id`, `repository_id` ON `work_items`
  WHEN OLD.id IS NOT NEW.id OR OLD.kind IS NOT NEW.kind OR OLD.author_id IS NOT NEW.author_id OR OLD.created_at IS NOT NEW.created_at
    OR OLD.merged_at IS NOT NEW.merged_at OR OLD.team_id IS NOT NEW.team_id OR OLD.repository_id IS NOT NEW.repository_id BEGIN
  DELETE FROM `person_activity` WHERE workspace = OLD.workspace AND work_item_id = OLD.id;
  INSERT OR REPLACE INTO `person_activity` (workspace, work_item_id, source, seq, person_id, at, team_id, repository_id)
    SELECT NEW.workspace, NEW.id, 'opened', 0, NEW.author_id, NEW.created_at, NULL, NULL WHERE NEW.kind = 'pull_request' AND NEW.author_id IS NOT NULL
    UNION ALL SELECT NEW.workspace, NEW.id, 'merged', 0, NEW.author_id, NEW.merged_at, NULL, NULL WHERE NEW.kind = 'pull_request' AND NEW.author_id IS NOT NULL AND NEW.merged_at IS NOT NULL
    UNION ALL SELECT r.workspace, r.work_item_id, 'review', r.seq, r.reviewer_id, r.submitted_at, NEW.team_id, NEW.repository_id FROM `reviews` r
      WHERE r.workspace = NEW.workspace AND r.work_item_id = NEW.id AND r.reviewer_id IS NOT NEW.author_id;
END;
--> statement-breakpoint
-- in batches: SELECT count(*) FROM `person_activity` WHERE source = 'move'
DELETE FROM `person_activity`
  WHERE (workspace, work_item_id, source, seq, person_id) IN (SELECT workspace, work_item_id, source, seq, person_id FROM `person_activity`
    WHERE (workspace, work_item_id) >= (coalesce(:after ->> 0, ''), coalesce(:after ->> 1, '')) AND source = 'move'
    ORDER BY workspace, work_item_id LIMIT :limit)
  RETURNING json_array(workspace, work_item_id) AS cursor;
