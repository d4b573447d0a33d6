ALTER TABLE `people` ADD `joined_at` integer;
