CREATE TABLE `incident_deployments` (
	`workspace` text NOT NULL,
	`settings` text NOT NULL,
	`incident_id` text NOT NULL,
	`deployment_id` text NOT NULL,
	`repository_id` text NOT NULL,
	`finished_at` integer NOT NULL,
	`created_at` integer NOT NULL,
	`resolved_at` integer,
	PRIMARY KEY(`workspace`, `settings`, `incident_id`)
);
--> statement-breakpoint
CREATE INDEX `incident_deployments_created_idx` ON `incident_deployments` (`workspace`,`settings`,`created_at`,`resolved_at`,`finished_at`);
--> statement-breakpoint
CREATE INDEX `incident_deployments_repository_idx` ON `incident_deployments` (`workspace`,`settings`,`repository_id`,`created_at`,`resolved_at`,`finished_at`);
--> statement-breakpoint
CREATE TRIGGER `incidents_mapping_insert` AFTER INSERT ON `incidents` BEGIN INSERT INTO `deployment_mapping_stale` (workspace, settings, repository_id) SELECT DISTINCT k.workspace, k.settings, r.id FROM `deployment_mapping_keys` k CROSS JOIN (SELECT NEW.repository_id AS id UNION SELECT d.repository_id FROM `deployments` d WHERE d.workspace = NEW.workspace AND d.id = NEW.deployment_id) r WHERE k.workspace = NEW.workspace AND r.id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM `deployment_mapping_stale` s WHERE s.workspace = k.workspace AND s.settings = k.settings AND s.repository_id = r.id); END;
--> statement-breakpoint
CREATE TRIGGER `incidents_mapping_delete` AFTER DELETE ON `incidents` BEGIN INSERT INTO `deployment_mapping_stale` (workspace, settings, repository_id) SELECT DISTINCT k.workspace, k.settings, r.id FROM `deployment_mapping_keys` k CROSS JOIN (SELECT OLD.repository_id AS id UNION SELECT d.repository_id FROM `deployments` d WHERE d.workspace = OLD.workspace AND d.id = OLD.deployment_id) r WHERE k.workspace = OLD.workspace AND r.id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM `deployment_mapping_stale` s WHERE s.workspace = k.workspace AND s.settings = k.settings AND s.repository_id = r.id); END;
--> statement-breakpoint
CREATE TRIGGER `incidents_mapping_update` AFTER UPDATE ON `incidents` WHEN OLD.created_at IS NOT NEW.created_at OR OLD.resolved_at IS NOT NEW.resolved_at OR OLD.repository_id IS NOT NEW.repository_id OR OLD.deployment_id IS NOT NEW.deployment_id OR OLD.id IS NOT NEW.id OR OLD.workspace IS NOT NEW.workspace BEGIN INSERT INTO `deployment_mapping_stale` (workspace, settings, repository_id) SELECT DISTINCT k.workspace, k.settings, r.id FROM `deployment_mapping_keys` k CROSS JOIN (SELECT OLD.repository_id AS id UNION SELECT d.repository_id FROM `deployments` d WHERE d.workspace = OLD.workspace AND d.id = OLD.deployment_id) r WHERE k.workspace = OLD.workspace AND r.id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM `deployment_mapping_stale` s WHERE s.workspace = k.workspace AND s.settings = k.settings AND s.repository_id = r.id); INSERT INTO `deployment_mapping_stale` (workspace, settings, repository_id) SELECT DISTINCT k.workspace, k.settings, r.id FROM `deployment_mapping_keys` k CROSS JOIN (SELECT NEW.repository_id AS id UNION SELECT d.repository_id FROM `deployments` d WHERE d.workspace = NEW.workspace AND d.id = NEW.deployment_id) r WHERE k.workspace = NEW.workspace AND r.id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM `deployment_mapping_stale` s WHERE s.workspace = k.workspace AND s.settings = k.settings AND s.repository_id = r.id); END;
--> statement-breakpoint
INSERT INTO `incident_deployments` (workspace, settings, incident_id, deployment_id, repository_id, finished_at, created_at, resolved_at) SELECT k.workspace, k.settings, i.id, d.id, d.repository_id, d.finished_at, i.created_at, i.resolved_at FROM `deployment_mapping_keys` k CROSS JOIN `incidents` i ON i.workspace = k.workspace CROSS JOIN `deployments` d ON d.workspace = i.workspace AND d.id = CASE WHEN i.deployment_id IS NOT NULL THEN i.deployment_id WHEN i.repository_id IS NULL THEN NULL ELSE (SELECT aad.id FROM `deployments` aad WHERE aad.workspace = i.workspace AND aad.repository_id = i.repository_id AND aad.status = 'success' AND EXISTS (SELECT 1 FROM json_each(k.settings, '$[0]') p WHERE lower(aad.environment) GLOB p.value) AND aad.finished_at <= i.created_at ORDER BY aad.finished_at DESC, aad.id DESC LIMIT 1) END WHERE d.status = 'success' AND EXISTS (SELECT 1 FROM json_each(k.settings, '$[0]') p WHERE lower(d.environment) GLOB p.value);
--> statement-breakpoint
DROP INDEX `incidents_created_idx`;
--> statement-breakpoint
DROP INDEX `incidents_repository_created_idx`;
--> statement-breakpoint
CREATE INDEX `incidents_created_idx` ON `incidents` (`workspace`,`created_at`,`resolved_at`,`repository_id`);
--> statement-breakpoint
CREATE INDEX `incidents_repository_created_idx` ON `incidents` (`workspace`,`repository_id`,`created_at`,`resolved_at`);
