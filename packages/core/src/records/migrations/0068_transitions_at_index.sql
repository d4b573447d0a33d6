-- transitions_at_idx (the moves in a window; 11.4 MB of the large demo, 438 MB at 10,000 engineers) is in no plan
-- of a metric, detector or trigger: the timeline's and the standup digest's moves walk the person's assignments
-- (work_item_assignees_person_idx) and each item's moves by the primary key instead. Nothing to backfill.

DROP INDEX `transitions_at_idx`;
