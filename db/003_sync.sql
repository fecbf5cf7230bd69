-- 003: the sync worker's bookkeeping (app/sync).
--
-- An outbox row the centre refused for good (a "conflict": the same sale id
-- with other content; "rejected": e.g. a hash mismatch; a void of a sale the
-- centre does not hold) is held: it stays unsent, its reason is in
-- last_error, and it is not retried (it would be refused again forever).
-- Cursors, the clock offset and the online flag live in meta.
ALTER TABLE outbox ADD COLUMN held TEXT
    CHECK (held IS NULL OR held = 'conflict' OR held = 'rejected' OR held = 'unknown_sale');
