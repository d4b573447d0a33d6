-- reviews_item_submitted_idx copied every column of every review (8.1 MB of the large demo, more than the table's
-- 8.0): an item's reviews come from the primary key's index and their rows instead, which the readers that aggregate
-- them (first_review_at, ts.aiImpact(), the review queue) name with INDEXED BY. Nothing to backfill.

DROP INDEX `reviews_item_submitted_idx`;
