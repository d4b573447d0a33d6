-- transitions_at_idx (the moves in a window; 11.4 MB of the large demo, 438 MB at 10,000 engineers) is in no plan
-- of a metric, detector or trigger: the timeline's and the standup digest's moves walk the person's assignments
-- (work_item_assignees_person_idx) and each item's moves by the primary key instead. Nothing to backfill.
-- The drop runs after the first open (`-- after open:`), in a write transaction of its own behind the reads: dropping
-- an index reads every one of its pages, which can hold the first open of a 10,000-engineer database for seconds when
-- its pages are not cached. Until then the index is kept up to date as before. The count is max(rowid), an estimate
-- read in a moment.

-- after open: SELECT coalesce(max(rowid), 0) FROM `transitions`
DROP INDEX IF EXISTS `transitions_at_idx`;
