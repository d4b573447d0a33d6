ALTER TABLE `signal_detector_runs` ADD `seen_at` integer;
