-- Items are added to the full-text index in one statement per batch by
-- InsertItems: a per-row trigger flushed the FTS5 index on every insert.
DROP TRIGGER items_ai;
