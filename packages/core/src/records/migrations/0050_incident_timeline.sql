-- Incidents from an on-call tool (PagerDuty): source, service, team, urgency, status, acknowledgement, responders and
-- timeline. An incident of a team without a repository or deployment of its own is attributed to the latest production
-- deployment of any of the team's repositories within 24 hours before it (records/store/deployment-mapping.ts), so its
-- writes mark every repository of its team stale; a change of its service or team marks its repositories too.
ALTER TABLE `incidents` ADD `source` text;
--> statement-breakpoint
ALTER TABLE `incidents` ADD `external_id` text;
--> statement-breakpoint
ALTER TABLE `incidents` ADD `service` text;
--> statement-breakpoint
ALTER TABLE `incidents` ADD `team_id` text;
--> statement-breakpoint
ALTER TABLE `incidents` ADD `urgency` text;
--> statement-breakpoint
ALTER TABLE `incidents` ADD `status` text;
--> statement-breakpoint
ALTER TABLE `incidents` ADD `acknowledged_at` integer;
--> statement-breakpoint
ALTER TABLE `incidents` ADD `responders` text;
--> statement-breakpoint
ALTER TABLE `incidents` ADD `timeline` text;
--> statement-breakpoint
CREATE INDEX `incidents_team_created_idx` ON `incidents` (`workspace`,`team_id`,`created_at`);
--> statement-breakpoint
CREATE INDEX `incidents_service_created_idx` ON `incidents` (`workspace`,`service`,`created_at`);
--> statement-breakpoint
CREATE TRIGGER `incidents_team_mapping_insert` AFTER INSERT ON `incidents` WHEN NEW.team_id IS NOT NULL BEGIN
  INSERT INTO `deployment_mapping_stale` (workspace, settings, repository_id, since) SELECT k.workspace, k.settings, tr.id, 8640000000000000 FROM `deployment_mapping_keys` k CROSS JOIN `repositories` tr ON tr.workspace = k.workspace AND tr.team_id = NEW.team_id WHERE k.workspace = NEW.workspace AND NEW.repository_id IS NULL AND NEW.deployment_id IS NULL ON CONFLICT (workspace, settings, repository_id) DO UPDATE SET since = min(deployment_mapping_stale.since, excluded.since) WHERE deployment_mapping_stale.since IS NOT NULL AND (excluded.since IS NULL OR excluded.since < deployment_mapping_stale.since);
END;
--> statement-breakpoint
CREATE TRIGGER `incidents_team_mapping_delete` AFTER DELETE ON `incidents` WHEN OLD.team_id IS NOT NULL BEGIN
  INSERT INTO `deployment_mapping_stale` (workspace, settings, repository_id, since) SELECT k.workspace, k.settings, tr.id, 8640000000000000 FROM `deployment_mapping_keys` k CROSS JOIN `repositories` tr ON tr.workspace = k.workspace AND tr.team_id = OLD.team_id WHERE k.workspace = OLD.workspace AND OLD.repository_id IS NULL AND OLD.deployment_id IS NULL ON CONFLICT (workspace, settings, repository_id) DO UPDATE SET since = min(deployment_mapping_stale.since, excluded.since) WHERE deployment_mapping_stale.since IS NOT NULL AND (excluded.since IS NULL OR excluded.since < deployment_mapping_stale.since);
END;
--> statement-breakpoint
CREATE TRIGGER `incidents_team_mapping_update` AFTER UPDATE ON `incidents` WHEN OLD.team_id IS NOT NEW.team_id OR OLD.service IS NOT NEW.service OR ((OLD.team_id IS NOT NULL OR NEW.team_id IS NOT NULL) AND (OLD.created_at IS NOT NEW.created_at OR OLD.resolved_at IS NOT NEW.resolved_at OR OLD.repository_id IS NOT NEW.repository_id OR OLD.deployment_id IS NOT NEW.deployment_id)) BEGIN
  INSERT INTO `deployment_mapping_stale` (workspace, settings, repository_id, since) SELECT k.workspace, k.settings, tr.id, 8640000000000000 FROM `deployment_mapping_keys` k CROSS JOIN `repositories` tr ON tr.workspace = k.workspace AND tr.team_id = OLD.team_id WHERE k.workspace = OLD.workspace AND OLD.repository_id IS NULL AND OLD.deployment_id IS NULL ON CONFLICT (workspace, settings, repository_id) DO UPDATE SET since = min(deployment_mapping_stale.since, excluded.since) WHERE deployment_mapping_stale.since IS NOT NULL AND (excluded.since IS NULL OR excluded.since < deployment_mapping_stale.since);
  INSERT INTO `deployment_mapping_stale` (workspace, settings, repository_id, since) SELECT k.workspace, k.settings, tr.id, 8640000000000000 FROM `deployment_mapping_keys` k CROSS JOIN `repositories` tr ON tr.workspace = k.workspace AND tr.team_id = NEW.team_id WHERE k.workspace = NEW.workspace AND NEW.repository_id IS NULL AND NEW.deployment_id IS NULL ON CONFLICT (workspace, settings, repository_id) DO UPDATE SET since = min(deployment_mapping_stale.since, excluded.since) WHERE deployment_mapping_stale.since IS NOT NULL AND (excluded.since IS NULL OR excluded.since < deployment_mapping_stale.since);
  INSERT INTO `deployment_mapping_stale` (workspace, settings, repository_id, since) SELECT k.workspace, k.settings, OLD.repository_id, 8640000000000000 FROM `deployment_mapping_keys` k WHERE k.workspace = OLD.workspace AND OLD.repository_id IS NOT NULL ON CONFLICT (workspace, settings, repository_id) DO UPDATE SET since = min(deployment_mapping_stale.since, excluded.since) WHERE deployment_mapping_stale.since IS NOT NULL AND (excluded.since IS NULL OR excluded.since < deployment_mapping_stale.since);
  INSERT INTO `deployment_mapping_stale` (workspace, settings, repository_id, since) SELECT k.workspace, k.settings, NEW.repository_id, 8640000000000000 FROM `deployment_mapping_keys` k WHERE k.workspace = NEW.workspace AND NEW.repository_id IS NOT NULL ON CONFLICT (workspace, settings, repository_id) DO UPDATE SET since = min(deployment_mapping_stale.since, excluded.since) WHERE deployment_mapping_stale.since IS NOT NULL AND (excluded.since IS NULL OR excluded.since < deployment_mapping_stale.since);
END;
