CREATE INDEX `pull_request_deployments_repository_merged_idx` ON `pull_request_deployments` (`workspace`,`settings`,`repository_id`,`merged_at`,`finished_at`);
