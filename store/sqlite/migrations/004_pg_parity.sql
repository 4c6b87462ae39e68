-- Parity with the PostgreSQL backend:
-- a story may get a new root post in a channel once its earlier post was
-- dropped (unsubscribed) or failed; only live posts are unique.
DROP INDEX deliveries_one_post;
CREATE UNIQUE INDEX deliveries_one_post ON deliveries (platform, channel, story_id)
    WHERE kind = 'post' AND status IN ('pending', 'sent');
-- English stemming in full-text search ("drones" finds "drone").
DROP TRIGGER items_ad;
DROP TABLE items_fts;
CREATE VIRTUAL TABLE items_fts USING fts5 (
    title, text, content = 'items', content_rowid = 'id', tokenize = 'porter unicode61 remove_diacritics 2'
);
INSERT INTO items_fts (rowid, title, text) SELECT id, title, text FROM items;
CREATE TRIGGER items_ad AFTER DELETE ON items BEGIN
    INSERT INTO items_fts (items_fts, rowid, title, text) VALUES ('delete', old.id, old.title, old.text);
END;
