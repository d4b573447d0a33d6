-- Hand-written (drizzle-kit cannot express FTS5): the full-text index of daily reports, over `reports`
-- (external content, rowid = reports.doc_id). Porter stemming over unicode61, with "_" a token character so
-- snake_case identifiers (retry_backoff) stay one searchable token. Triggers keep it in step with `reports`
-- inside the transaction of every write (submit, import, retention, erase).
CREATE VIRTUAL TABLE `reports_fts` USING fts5(`text`, `blockers`, content='reports', content_rowid='doc_id', tokenize="porter unicode61 tokenchars '_'");
--> statement-breakpoint
CREATE TRIGGER `reports_fts_insert` AFTER INSERT ON `reports` BEGIN
  INSERT INTO `reports_fts` (rowid, `text`, `blockers`) VALUES (new.`doc_id`, new.`text`, new.`blockers`);
END;
--> statement-breakpoint
CREATE TRIGGER `reports_fts_delete` AFTER DELETE ON `reports` BEGIN
  INSERT INTO `reports_fts` (`reports_fts`, rowid, `text`, `blockers`) VALUES ('delete', old.`doc_id`, old.`text`, old.`blockers`);
END;
--> statement-breakpoint
CREATE TRIGGER `reports_fts_update` AFTER UPDATE OF `doc_id`, `text`, `blockers` ON `reports` BEGIN
  INSERT INTO `reports_fts` (`reports_fts`, rowid, `text`, `blockers`) VALUES ('delete', old.`doc_id`, old.`text`, old.`blockers`);
  INSERT INTO `reports_fts` (rowid, `text`, `blockers`) VALUES (new.`doc_id`, new.`text`, new.`blockers`);
END;
