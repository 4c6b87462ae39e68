-- Times are Unix microseconds (0 = unset); lists are JSON arrays.
CREATE TABLE feeds (
    id            INTEGER PRIMARY KEY,
    url           TEXT NOT NULL UNIQUE,
    name          TEXT NOT NULL DEFAULT '',
    schedule      TEXT NOT NULL DEFAULT '',
    article       TEXT NOT NULL DEFAULT '',
    added_by      TEXT NOT NULL DEFAULT '',
    etag          TEXT NOT NULL DEFAULT '',
    last_modified TEXT NOT NULL DEFAULT '',
    first_fetched INTEGER NOT NULL DEFAULT 0,
    last_success  INTEGER NOT NULL DEFAULT 0,
    last_error    TEXT NOT NULL DEFAULT '',
    last_error_at INTEGER NOT NULL DEFAULT 0,
    failures      INTEGER NOT NULL DEFAULT 0,
    next_poll     INTEGER NOT NULL DEFAULT 0,
    lease_owner   TEXT NOT NULL DEFAULT '',
    lease_until   INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE items (
    id        INTEGER PRIMARY KEY,
    feed_id   INTEGER NOT NULL,
    feed_name TEXT NOT NULL DEFAULT '',
    key       TEXT NOT NULL,
    guid      TEXT NOT NULL DEFAULT '',
    url       TEXT NOT NULL DEFAULT '',
    title     TEXT NOT NULL DEFAULT '',
    text      TEXT NOT NULL DEFAULT '',
    summary   TEXT NOT NULL DEFAULT '',
    published INTEGER NOT NULL DEFAULT 0,
    fetched   INTEGER NOT NULL DEFAULT 0,
    regions   TEXT NOT NULL DEFAULT '[]',
    topics    TEXT NOT NULL DEFAULT '[]',
    story_id  TEXT NOT NULL DEFAULT '',
    UNIQUE (feed_id, key)
);
CREATE INDEX items_story ON items (story_id);
CREATE INDEX items_fetched ON items (fetched);

CREATE VIRTUAL TABLE items_fts USING fts5 (
    title, text, content = 'items', content_rowid = 'id', tokenize = 'unicode61 remove_diacritics 2'
);
CREATE TRIGGER items_ai AFTER INSERT ON items BEGIN
    INSERT INTO items_fts (rowid, title, text) VALUES (new.id, new.title, new.text);
END;
CREATE TRIGGER items_ad AFTER DELETE ON items BEGIN
    INSERT INTO items_fts (items_fts, rowid, title, text) VALUES ('delete', old.id, old.title, old.text);
END;

CREATE TABLE stories (
    id         TEXT PRIMARY KEY,
    title      TEXT NOT NULL DEFAULT '',
    summary    TEXT NOT NULL DEFAULT '',
    regions    TEXT NOT NULL DEFAULT '[]',
    topics     TEXT NOT NULL DEFAULT '[]',
    severity   TEXT NOT NULL DEFAULT '',
    first_seen INTEGER NOT NULL DEFAULT 0,
    last_seen  INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX stories_last_seen ON stories (last_seen);

CREATE TABLE subscriptions (
    id       INTEGER PRIMARY KEY,
    platform TEXT NOT NULL,
    channel  TEXT NOT NULL,
    targets  TEXT NOT NULL DEFAULT '[]',
    digest   TEXT NOT NULL DEFAULT '',
    created  INTEGER NOT NULL DEFAULT 0,
    UNIQUE (platform, channel)
);

CREATE TABLE deliveries (
    id          INTEGER PRIMARY KEY,
    platform    TEXT NOT NULL,
    channel     TEXT NOT NULL,
    kind        TEXT NOT NULL,
    story_id    TEXT NOT NULL DEFAULT '',
    item_id     INTEGER NOT NULL DEFAULT 0,
    payload     BLOB,
    status      TEXT NOT NULL DEFAULT 'pending',
    attempts    INTEGER NOT NULL DEFAULT 0,
    next_try    INTEGER NOT NULL DEFAULT 0,
    lease_owner TEXT NOT NULL DEFAULT '',
    lease_until INTEGER NOT NULL DEFAULT 0,
    message_ref TEXT NOT NULL DEFAULT '',
    last_error  TEXT NOT NULL DEFAULT '',
    created     INTEGER NOT NULL DEFAULT 0,
    sent_at     INTEGER NOT NULL DEFAULT 0
);
CREATE UNIQUE INDEX deliveries_one_post ON deliveries (platform, channel, story_id) WHERE kind = 'post';
CREATE UNIQUE INDEX deliveries_one_update ON deliveries (platform, channel, item_id) WHERE kind = 'update';
CREATE INDEX deliveries_due ON deliveries (status, next_try);

CREATE TABLE story_roots (
    platform TEXT NOT NULL,
    channel  TEXT NOT NULL,
    story_id TEXT NOT NULL,
    ref      TEXT NOT NULL,
    PRIMARY KEY (platform, channel, story_id)
);
