CREATE TABLE `knowledge_codeowners` (
	`workspace` text NOT NULL,
	`id` text NOT NULL,
	`origin` text NOT NULL,
	`uri` text NOT NULL,
	`repository` text NOT NULL,
	`path` text NOT NULL,
	`version` text NOT NULL,
	`content_hash` text NOT NULL,
	`rules` text NOT NULL,
	`updated_at` integer NOT NULL,
	`indexed_at` integer NOT NULL,
	PRIMARY KEY(`workspace`, `id`)
);
--> statement-breakpoint
CREATE INDEX `knowledge_codeowners_origin_idx` ON `knowledge_codeowners` (`workspace`,`origin`);
--> statement-breakpoint
CREATE INDEX `knowledge_codeowners_repository_idx` ON `knowledge_codeowners` (`workspace`,`repository`);
