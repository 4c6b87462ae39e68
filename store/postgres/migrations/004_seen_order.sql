-- Items are ordered and filtered by when they were last news to us: the later
-- of published and fetched (GREATEST ignores NULLs), as in the SQLite store.
DROP INDEX items_published;
DROP INDEX items_fetched;
CREATE INDEX items_seen ON items ((greatest(published, fetched)) DESC, id DESC);
