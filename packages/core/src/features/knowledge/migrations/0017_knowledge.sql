CREATE TABLE `knowledge_chunks` (
	`workspace` text NOT NULL,
	`document_id` text NOT NULL,
	`position` integer NOT NULL,
	`chunk_id` integer NOT NULL,
	`heading_path` text NOT NULL,
	`title` text NOT NULL,
	`headings` text NOT NULL,
	`text` text NOT NULL,
	`terms` text NOT NULL,
	PRIMARY KEY(`workspace`, `document_id`, `position`)
);
--> statement-breakpoint
CREATE UNIQUE INDEX `knowledge_chunks_chunk_idx` ON `knowledge_chunks` (`chunk_id`);
--> statement-breakpoint
CREATE TABLE `knowledge_documents` (
	`workspace` text NOT NULL,
	`id` text NOT NULL,
	`source` text NOT NULL,
	`origin` text NOT NULL,
	`uri` text NOT NULL,
	`title` text NOT NULL,
	`repository` text,
	`space` text,
	`path` text,
	`version` text NOT NULL,
	`content_hash` text NOT NULL,
	`updated_at` integer NOT NULL,
	`author` text,
	`visibility` text,
	`indexed_at` integer NOT NULL,
	PRIMARY KEY(`workspace`, `id`)
);
--> statement-breakpoint
CREATE INDEX `knowledge_documents_origin_idx` ON `knowledge_documents` (`workspace`,`origin`);
--> statement-breakpoint
-- Hand-written (drizzle-kit cannot express FTS5): the full-text index of knowledge passages, over `knowledge_chunks`
-- (external content, rowid = knowledge_chunks.chunk_id). Porter stemming over unicode61 with "_" a token character, so
-- snake_case identifiers stay one token (their parts are in `terms`). Triggers keep it in step with the chunks inside
-- the transaction of every write.
CREATE VIRTUAL TABLE `knowledge_fts` USING fts5(`title`, `headings`, `text`, `terms`, content='knowledge_chunks', content_rowid='chunk_id', tokenize="porter unicode61 tokenchars '_'");
--> statement-breakpoint
CREATE TRIGGER `knowledge_fts_insert` AFTER INSERT ON `knowledge_chunks` BEGIN
  INSERT INTO `knowledge_fts` (rowid, `title`, `headings`, `text`, `terms`) VALUES (new.`chunk_id`, new.`title`, new.`headings`, new.`text`, new.`terms`);
END;
--> statement-breakpoint
CREATE TRIGGER `knowledge_fts_delete` AFTER DELETE ON `knowledge_chunks` BEGIN
  INSERT INTO `knowledge_fts` (`knowledge_fts`, rowid, `title`, `headings`, `text`, `terms`) VALUES ('delete', old.`chunk_id`, old.`title`, old.`headings`, old.`text`, old.`terms`);
END;
--> statement-breakpoint
CREATE TRIGGER `knowledge_fts_update` AFTER UPDATE ON `knowledge_chunks` BEGIN
  INSERT INTO `knowledge_fts` (`knowledge_fts`, rowid, `title`, `headings`, `text`, `terms`) VALUES ('delete', old.`chunk_id`, old.`title`, old.`headings`, old.`text`, old.`terms`);
  INSERT INTO `knowledge_fts` (rowid, `title`, `headings`, `text`, `terms`) VALUES (new.`chunk_id`, new.`title`, new.`headings`, new.`text`, new.`terms`);
END;
