CREATE INDEX `reports_blocked_day_idx` ON `reports` (`workspace`,`day`,`person_id`) WHERE trim(COALESCE(blockers, '')) <> '';
