ALTER TABLE `approvals` ADD `on_behalf_of` text;
