-- reviews_item_submitted_idx copied every column of every review (8.1 MB of the large demo, more than the table's
-- 8.0): an item's reviews come from the primary key's index and their rows instead, which the readers that aggregate
-- them (first_review_at, ts.aiImpact(), the review queue) name with INDEXED BY. Nothing to backfill.
-- The drop runs after the first open (`-- after open:`), in a write transaction of its own behind the reads: dropping
-- an index reads every one of its pages, which can hold the first open of a 10,000-engineer database for seconds when
-- its pages are not cached. Until then the index is kept up to date as before. The count is max(rowid), an estimate
-- read in a moment.

-- after open: SELECT coalesce(max(rowid), 0) FROM `reviews`
DROP INDEX IF EXISTS `reviews_item_submitted_idx`;
