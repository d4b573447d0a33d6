-- person_activity keeps its item's team and repository on review rows only: review.load_imbalance, the one reader of
-- those columns, counts reviews (its index is partial on them); an opened, merged or move row holds NULL there, which
-- saves a team and a repository id in six of every seven rows. The triggers that write those rows write NULL; the rows
-- already stored are cleared in batches (every reader is right before and after a row is cleared).

DROP TRIGGER `person_activity_item_insert`;
--> statement-breakpoint
DROP TRIGGER `person_activity_item_update`;
--> statement-breakpoint
DROP TRIGGER `person_activity_transition_insert`;
--> statement-breakpoint
DROP TRIGGER `person_activity_transition_update`;
--> statement-breakpoint
DROP TRIGGER `person_activity_assignee_insert`;
--> statement-breakpoint
DROP TRIGGER `person_activity_assignee_update`;
--> statement-breakpoint
CREATE TRIGGER `person_activity_item_insert` AFTER INSERT ON `work_items` BEGIN
  INSERT OR REPLACE INTO `person_activity` (workspace, work_item_id, source, seq, person_id, at, team_id, repository_id)
    SELECT NEW.workspace, NEW.id, 'opened', 0, NEW.author_id, NEW.created_at, NULL, NULL WHERE NEW.kind = 'pull_request' AND NEW.author_id IS NOT NULL
    UNION ALL SELECT NEW.workspace, NEW.id, 'merged', 0, NEW.author_id, NEW.merged_at, NULL, NULL WHERE NEW.kind = 'pull_request' AND NEW.author_id IS NOT NULL AND NEW.merged_at IS NOT NULL
    UNION ALL SELECT r.workspace, r.work_item_id, 'review', r.seq, r.reviewer_id, r.submitted_at, NEW.team_id, NEW.repository_id FROM `reviews` r
      WHERE r.workspace = NEW.workspace AND r.work_item_id = NEW.id AND r.reviewer_id IS NOT NEW.author_id
    UNION ALL SELECT t.workspace, t.work_item_id, 'move', t.seq, a.person_id, t.at, NULL, NULL FROM `transitions` t
      JOIN `work_item_assignees` a ON a.workspace = t.workspace AND a.work_item_id = t.work_item_id
      WHERE t.workspace = NEW.workspace AND t.work_item_id = NEW.id AND NEW.kind <> 'pull_request';
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
      WHERE r.workspace = NEW.workspace AND r.work_item_id = NEW.id AND r.reviewer_id IS NOT NEW.author_id
    UNION ALL SELECT t.workspace, t.work_item_id, 'move', t.seq, a.person_id, t.at, NULL, NULL FROM `transitions` t
      JOIN `work_item_assignees` a ON a.workspace = t.workspace AND a.work_item_id = t.work_item_id
      WHERE t.workspace = NEW.workspace AND t.work_item_id = NEW.id AND NEW.kind <> 'pull_request';
END;
--> statement-breakpoint
CREATE TRIGGER `person_activity_transition_insert` AFTER INSERT ON `transitions` BEGIN
  INSERT OR REPLACE INTO `person_activity` (workspace, work_item_id, source, seq, person_id, at, team_id, repository_id)
    SELECT NEW.workspace, NEW.work_item_id, 'move', NEW.seq, a.person_id, NEW.at, NULL, NULL FROM `work_items` i
      JOIN `work_item_assignees` a ON a.workspace = NEW.workspace AND a.work_item_id = NEW.work_item_id
    WHERE i.workspace = NEW.workspace AND i.id = NEW.work_item_id AND i.kind <> 'pull_request';
END;
--> statement-breakpoint
CREATE TRIGGER `person_activity_transition_update` AFTER UPDATE OF `work_item_id`, `seq`, `at` ON `transitions`
  WHEN OLD.work_item_id IS NOT NEW.work_item_id OR OLD.seq IS NOT NEW.seq OR OLD.at IS NOT NEW.at BEGIN
  DELETE FROM `person_activity` WHERE workspace = OLD.workspace AND work_item_id = OLD.work_item_id AND source = 'move' AND seq = OLD.seq;
  INSERT OR REPLACE INTO `person_activity` (workspace, work_item_id, source, seq, person_id, at, team_id, repository_id)
    SELECT NEW.workspace, NEW.work_item_id, 'move', NEW.seq, a.person_id, NEW.at, NULL, NULL FROM `work_items` i
      JOIN `work_item_assignees` a ON a.workspace = NEW.workspace AND a.work_item_id = NEW.work_item_id
    WHERE i.workspace = NEW.workspace AND i.id = NEW.work_item_id AND i.kind <> 'pull_request';
END;
--> statement-breakpoint
CREATE TRIGGER `person_activity_assignee_insert` AFTER INSERT ON `work_item_assignees` BEGIN
  INSERT OR REPLACE INTO `person_activity` (workspace, work_item_id, source, seq, person_id, at, team_id, repository_id)
    SELECT NEW.workspace, NEW.work_item_id, 'move', t.seq, NEW.person_id, t.at, NULL, NULL FROM `work_items` i
      JOIN `transitions` t ON t.workspace = NEW.workspace AND t.work_item_id = NEW.work_item_id
    WHERE i.workspace = NEW.workspace AND i.id = NEW.work_item_id AND i.kind <> 'pull_request';
END;
--> statement-breakpoint
CREATE TRIGGER `person_activity_assignee_update` AFTER UPDATE ON `work_item_assignees`
  WHEN OLD.work_item_id IS NOT NEW.work_item_id OR OLD.person_id IS NOT NEW.person_id BEGIN
  DELETE FROM `person_activity` WHERE workspace = OLD.workspace AND work_item_id = OLD.work_item_id AND source = 'move' AND person_id = OLD.person_id;
  INSERT OR REPLACE INTO `person_activity` (workspace, work_item_id, source, seq, person_id, at, team_id, repository_id)
    SELECT NEW.workspace, NEW.work_item_id, 'move', t.seq, NEW.person_id, t.at, NULL, NULL FROM `work_items` i
      JOIN `transitions` t ON t.workspace = NEW.workspace AND t.work_item_id = NEW.work_item_id
    WHERE i.workspace = NEW.workspace AND i.id = NEW.work_item_id AND i.kind <> 'pull_request';
END;
--> statement-breakpoint
-- in batches: SELECT count(*) FROM `person_activity` WHERE source <> 'review' AND (team_id IS NOT NULL OR repository_id IS NOT NULL)
UPDATE `person_activity` SET team_id = NULL, repository_id = NULL
  WHERE (workspace, work_item_id, source, seq, person_id) IN (SELECT workspace, work_item_id, source, seq, person_id FROM `person_activity`
    WHERE (workspace, work_item_id) >= (coalesce(:after ->> 0, ''), coalesce(:after ->> 1, '')) AND source <> 'review'
      AND (team_id IS NOT NULL OR repository_id IS NOT NULL)
    ORDER BY workspace, work_item_id LIMIT :limit)
  RETURNING json_array(workspace, work_item_id) AS cursor;
