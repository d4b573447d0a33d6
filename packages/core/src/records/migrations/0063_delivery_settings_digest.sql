-- The derived delivery rows are keyed by a 12-character digest of their settings instead of the settings' JSON (a
-- third of each row and index entry). Rows under the old keys would never be read again: they go, with the record of
-- which keys were built, and the next metric read builds its settings' rows again (what a new settings pair does).
-- Whole-table deletes without triggers: SQLite empties each table at once, however large.
DELETE FROM `pull_request_deployments`;
--> statement-breakpoint
DELETE FROM `deployment_rework`;
--> statement-breakpoint
DELETE FROM `incident_deployments`;
--> statement-breakpoint
DELETE FROM `deployment_mapping_stale`;
--> statement-breakpoint
DELETE FROM `deployment_mapping_keys`;
