CREATE TABLE `deployment_mapping_keys` (
	`workspace` text NOT NULL,
	`settings` text NOT NULL,
	PRIMARY KEY(`workspace`, `settings`)
);
--> statement-breakpoint
CREATE TABLE `deployment_mapping_stale` (
	`workspace` text NOT NULL,
	`settings` text NOT NULL,
	`repository_id` text NOT NULL,
	PRIMARY KEY(`workspace`, `settings`, `repository_id`)
);
--> statement-breakpoint
CREATE TABLE `deployment_rework` (
	`workspace` text NOT NULL,
	`settings` text NOT NULL,
	`deployment_id` text NOT NULL,
	`repository_id` text NOT NULL,
	`finished_at` integer NOT NULL,
	PRIMARY KEY(`workspace`, `settings`, `deployment_id`)
);
--> statement-breakpoint
CREATE INDEX `deployment_rework_finished_idx` ON `deployment_rework` (`workspace`,`settings`,`finished_at`,`repository_id`);
--> statement-breakpoint
CREATE INDEX `deployment_rework_repository_idx` ON `deployment_rework` (`workspace`,`settings`,`repository_id`,`finished_at`);
--> statement-breakpoint
CREATE TABLE `pull_request_deployments` (
	`workspace` text NOT NULL,
	`settings` text NOT NULL,
	`work_item_id` text NOT NULL,
	`repository_id` text NOT NULL,
	`deployment_id` text NOT NULL,
	`finished_at` integer NOT NULL,
	`merged_at` integer NOT NULL,
	`started_at` integer NOT NULL,
	`listed` integer NOT NULL,
	PRIMARY KEY(`workspace`, `settings`, `work_item_id`)
);
--> statement-breakpoint
CREATE INDEX `pull_request_deployments_deployment_idx` ON `pull_request_deployments` (`workspace`,`settings`,`deployment_id`,`listed`,`work_item_id`);
--> statement-breakpoint
CREATE INDEX `pull_request_deployments_item_idx` ON `pull_request_deployments` (`workspace`,`settings`,`work_item_id`,`finished_at`,`deployment_id`);
--> statement-breakpoint
CREATE INDEX `pull_request_deployments_finished_idx` ON `pull_request_deployments` (`workspace`,`settings`,`finished_at`,`started_at`,`repository_id`,`work_item_id`);
--> statement-breakpoint
CREATE INDEX `pull_request_deployments_merged_idx` ON `pull_request_deployments` (`workspace`,`settings`,`merged_at`,`finished_at`,`repository_id`);
--> statement-breakpoint
CREATE INDEX `pull_request_deployments_repository_idx` ON `pull_request_deployments` (`workspace`,`settings`,`repository_id`,`finished_at`,`started_at`,`merged_at`);
--> statement-breakpoint
CREATE INDEX `deployments_window_idx` ON `deployments` (`workspace`,`finished_at`,`status`,`environment`,`repository_id`,`id`);
--> statement-breakpoint
CREATE TRIGGER `deployments_mapping_insert` AFTER INSERT ON `deployments` BEGIN INSERT INTO `deployment_mapping_stale` (workspace, settings, repository_id) SELECT DISTINCT k.workspace, k.settings, NEW.repository_id FROM `deployment_mapping_keys` k WHERE k.workspace = NEW.workspace AND NOT EXISTS (SELECT 1 FROM `deployment_mapping_stale` s WHERE s.workspace = k.workspace AND s.settings = k.settings AND s.repository_id = NEW.repository_id); END;
--> statement-breakpoint
CREATE TRIGGER `deployments_mapping_delete` AFTER DELETE ON `deployments` BEGIN INSERT INTO `deployment_mapping_stale` (workspace, settings, repository_id) SELECT DISTINCT k.workspace, k.settings, OLD.repository_id FROM `deployment_mapping_keys` k WHERE k.workspace = OLD.workspace AND NOT EXISTS (SELECT 1 FROM `deployment_mapping_stale` s WHERE s.workspace = k.workspace AND s.settings = k.settings AND s.repository_id = OLD.repository_id); INSERT INTO `deployment_mapping_stale` (workspace, settings, repository_id) SELECT DISTINCT k.workspace, k.settings, COALESCE(w.repository_id, '') FROM `deployment_mapping_keys` k CROSS JOIN `deployment_pull_requests` l ON l.workspace = k.workspace AND l.deployment_id = OLD.id CROSS JOIN `work_items` w ON w.workspace = l.workspace AND w.id = l.work_item_id WHERE k.workspace = OLD.workspace AND NOT EXISTS (SELECT 1 FROM `deployment_mapping_stale` s WHERE s.workspace = k.workspace AND s.settings = k.settings AND s.repository_id = COALESCE(w.repository_id, '')); END;
--> statement-breakpoint
CREATE TRIGGER `deployments_mapping_update` AFTER UPDATE ON `deployments` WHEN OLD.repository_id IS NOT NEW.repository_id OR OLD.environment IS NOT NEW.environment OR OLD.status IS NOT NEW.status OR OLD.finished_at IS NOT NEW.finished_at OR OLD.has_pull_request_list IS NOT NEW.has_pull_request_list OR OLD.id IS NOT NEW.id OR OLD.workspace IS NOT NEW.workspace BEGIN INSERT INTO `deployment_mapping_stale` (workspace, settings, repository_id) SELECT DISTINCT k.workspace, k.settings, OLD.repository_id FROM `deployment_mapping_keys` k WHERE k.workspace = OLD.workspace AND NOT EXISTS (SELECT 1 FROM `deployment_mapping_stale` s WHERE s.workspace = k.workspace AND s.settings = k.settings AND s.repository_id = OLD.repository_id); INSERT INTO `deployment_mapping_stale` (workspace, settings, repository_id) SELECT DISTINCT k.workspace, k.settings, NEW.repository_id FROM `deployment_mapping_keys` k WHERE k.workspace = NEW.workspace AND NOT EXISTS (SELECT 1 FROM `deployment_mapping_stale` s WHERE s.workspace = k.workspace AND s.settings = k.settings AND s.repository_id = NEW.repository_id); INSERT INTO `deployment_mapping_stale` (workspace, settings, repository_id) SELECT DISTINCT k.workspace, k.settings, COALESCE(w.repository_id, '') FROM `deployment_mapping_keys` k CROSS JOIN `deployment_pull_requests` l ON l.workspace = k.workspace AND l.deployment_id = OLD.id CROSS JOIN `work_items` w ON w.workspace = l.workspace AND w.id = l.work_item_id WHERE k.workspace = OLD.workspace AND NOT EXISTS (SELECT 1 FROM `deployment_mapping_stale` s WHERE s.workspace = k.workspace AND s.settings = k.settings AND s.repository_id = COALESCE(w.repository_id, '')); INSERT INTO `deployment_mapping_stale` (workspace, settings, repository_id) SELECT DISTINCT k.workspace, k.settings, COALESCE(w.repository_id, '') FROM `deployment_mapping_keys` k CROSS JOIN `deployment_pull_requests` l ON l.workspace = k.workspace AND l.deployment_id = NEW.id CROSS JOIN `work_items` w ON w.workspace = l.workspace AND w.id = l.work_item_id WHERE k.workspace = NEW.workspace AND NOT EXISTS (SELECT 1 FROM `deployment_mapping_stale` s WHERE s.workspace = k.workspace AND s.settings = k.settings AND s.repository_id = COALESCE(w.repository_id, '')); END;
--> statement-breakpoint
CREATE TRIGGER `deployment_pull_requests_mapping_insert` AFTER INSERT ON `deployment_pull_requests` BEGIN INSERT INTO `deployment_mapping_stale` (workspace, settings, repository_id) SELECT DISTINCT k.workspace, k.settings, COALESCE(w.repository_id, '') FROM `deployment_mapping_keys` k CROSS JOIN `work_items` w ON w.workspace = k.workspace AND w.id = NEW.work_item_id WHERE k.workspace = NEW.workspace AND NOT EXISTS (SELECT 1 FROM `deployment_mapping_stale` s WHERE s.workspace = k.workspace AND s.settings = k.settings AND s.repository_id = COALESCE(w.repository_id, '')); INSERT INTO `deployment_mapping_stale` (workspace, settings, repository_id) SELECT DISTINCT k.workspace, k.settings, d.repository_id FROM `deployment_mapping_keys` k CROSS JOIN `deployments` d ON d.workspace = k.workspace AND d.id = NEW.deployment_id WHERE k.workspace = NEW.workspace AND NOT EXISTS (SELECT 1 FROM `deployment_mapping_stale` s WHERE s.workspace = k.workspace AND s.settings = k.settings AND s.repository_id = d.repository_id); END;
--> statement-breakpoint
CREATE TRIGGER `deployment_pull_requests_mapping_delete` AFTER DELETE ON `deployment_pull_requests` BEGIN INSERT INTO `deployment_mapping_stale` (workspace, settings, repository_id) SELECT DISTINCT k.workspace, k.settings, COALESCE(w.repository_id, '') FROM `deployment_mapping_keys` k CROSS JOIN `work_items` w ON w.workspace = k.workspace AND w.id = OLD.work_item_id WHERE k.workspace = OLD.workspace AND NOT EXISTS (SELECT 1 FROM `deployment_mapping_stale` s WHERE s.workspace = k.workspace AND s.settings = k.settings AND s.repository_id = COALESCE(w.repository_id, '')); INSERT INTO `deployment_mapping_stale` (workspace, settings, repository_id) SELECT DISTINCT k.workspace, k.settings, d.repository_id FROM `deployment_mapping_keys` k CROSS JOIN `deployments` d ON d.workspace = k.workspace AND d.id = OLD.deployment_id WHERE k.workspace = OLD.workspace AND NOT EXISTS (SELECT 1 FROM `deployment_mapping_stale` s WHERE s.workspace = k.workspace AND s.settings = k.settings AND s.repository_id = d.repository_id); END;
--> statement-breakpoint
CREATE TRIGGER `deployment_pull_requests_mapping_update` AFTER UPDATE ON `deployment_pull_requests` BEGIN INSERT INTO `deployment_mapping_stale` (workspace, settings, repository_id) SELECT DISTINCT k.workspace, k.settings, COALESCE(w.repository_id, '') FROM `deployment_mapping_keys` k CROSS JOIN `work_items` w ON w.workspace = k.workspace AND w.id = OLD.work_item_id WHERE k.workspace = OLD.workspace AND NOT EXISTS (SELECT 1 FROM `deployment_mapping_stale` s WHERE s.workspace = k.workspace AND s.settings = k.settings AND s.repository_id = COALESCE(w.repository_id, '')); INSERT INTO `deployment_mapping_stale` (workspace, settings, repository_id) SELECT DISTINCT k.workspace, k.settings, d.repository_id FROM `deployment_mapping_keys` k CROSS JOIN `deployments` d ON d.workspace = k.workspace AND d.id = OLD.deployment_id WHERE k.workspace = OLD.workspace AND NOT EXISTS (SELECT 1 FROM `deployment_mapping_stale` s WHERE s.workspace = k.workspace AND s.settings = k.settings AND s.repository_id = d.repository_id); INSERT INTO `deployment_mapping_stale` (workspace, settings, repository_id) SELECT DISTINCT k.workspace, k.settings, COALESCE(w.repository_id, '') FROM `deployment_mapping_keys` k CROSS JOIN `work_items` w ON w.workspace = k.workspace AND w.id = NEW.work_item_id WHERE k.workspace = NEW.workspace AND NOT EXISTS (SELECT 1 FROM `deployment_mapping_stale` s WHERE s.workspace = k.workspace AND s.settings = k.settings AND s.repository_id = COALESCE(w.repository_id, '')); INSERT INTO `deployment_mapping_stale` (workspace, settings, repository_id) SELECT DISTINCT k.workspace, k.settings, d.repository_id FROM `deployment_mapping_keys` k CROSS JOIN `deployments` d ON d.workspace = k.workspace AND d.id = NEW.deployment_id WHERE k.workspace = NEW.workspace AND NOT EXISTS (SELECT 1 FROM `deployment_mapping_stale` s WHERE s.workspace = k.workspace AND s.settings = k.settings AND s.repository_id = d.repository_id); END;
--> statement-breakpoint
CREATE TRIGGER `work_items_mapping_insert` AFTER INSERT ON `work_items` WHEN NEW.kind = 'pull_request' BEGIN INSERT INTO `deployment_mapping_stale` (workspace, settings, repository_id) SELECT DISTINCT k.workspace, k.settings, COALESCE(NEW.repository_id, '') FROM `deployment_mapping_keys` k WHERE k.workspace = NEW.workspace AND NOT EXISTS (SELECT 1 FROM `deployment_mapping_stale` s WHERE s.workspace = k.workspace AND s.settings = k.settings AND s.repository_id = COALESCE(NEW.repository_id, '')); END;
--> statement-breakpoint
CREATE TRIGGER `work_items_mapping_delete` AFTER DELETE ON `work_items` WHEN OLD.kind = 'pull_request' BEGIN INSERT INTO `deployment_mapping_stale` (workspace, settings, repository_id) SELECT DISTINCT k.workspace, k.settings, COALESCE(OLD.repository_id, '') FROM `deployment_mapping_keys` k WHERE k.workspace = OLD.workspace AND NOT EXISTS (SELECT 1 FROM `deployment_mapping_stale` s WHERE s.workspace = k.workspace AND s.settings = k.settings AND s.repository_id = COALESCE(OLD.repository_id, '')); END;
--> statement-breakpoint
CREATE TRIGGER `work_items_mapping_update` AFTER UPDATE ON `work_items` WHEN (OLD.kind = 'pull_request' OR NEW.kind = 'pull_request') AND (OLD.kind IS NOT NEW.kind OR OLD.merged_at IS NOT NEW.merged_at OR OLD.repository_id IS NOT NEW.repository_id OR OLD.title IS NOT NEW.title OR OLD.labels IS NOT NEW.labels OR OLD.first_commit_at IS NOT NEW.first_commit_at OR OLD.created_at IS NOT NEW.created_at OR OLD.id IS NOT NEW.id OR OLD.workspace IS NOT NEW.workspace) BEGIN INSERT INTO `deployment_mapping_stale` (workspace, settings, repository_id) SELECT DISTINCT k.workspace, k.settings, COALESCE(OLD.repository_id, '') FROM `deployment_mapping_keys` k WHERE k.workspace = OLD.workspace AND NOT EXISTS (SELECT 1 FROM `deployment_mapping_stale` s WHERE s.workspace = k.workspace AND s.settings = k.settings AND s.repository_id = COALESCE(OLD.repository_id, '')); INSERT INTO `deployment_mapping_stale` (workspace, settings, repository_id) SELECT DISTINCT k.workspace, k.settings, COALESCE(NEW.repository_id, '') FROM `deployment_mapping_keys` k WHERE k.workspace = NEW.workspace AND NOT EXISTS (SELECT 1 FROM `deployment_mapping_stale` s WHERE s.workspace = k.workspace AND s.settings = k.settings AND s.repository_id = COALESCE(NEW.repository_id, '')); END;
