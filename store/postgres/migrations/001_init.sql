-- Feeds with their fetch state and the poll lease that lets one replica poll each tick.
CREATE TABLE feeds (
    id            bigserial PRIMARY KEY,
    url           text NOT NULL UNIQUE,
    name          text NOT NULL DEFAULT '',
    schedule      text NOT NULL DEFAULT '',
    article       text NOT NULL DEFAULT '',
    added_by      text NOT NULL DEFAULT '',
    etag          text NOT NULL DEFAULT '',
    last_modified text NOT NULL DEFAULT '',
    first_fetched timestamptz,
    last_success  timestamptz,
    last_error    text NOT NULL DEFAULT '',
    last_error_at timestamptz,
    failures      integer NOT NULL DEFAULT 0,
    next_poll     timestamptz,
    poll_owner    text NOT NULL DEFAULT '',
    poll_until    timestamptz
);

-- Every key ever stored per feed. Items may be pruned; their keys stay here so
-- a key is never new twice.
CREATE TABLE item_keys (
    feed_id bigint NOT NULL REFERENCES feeds (id) ON DELETE CASCADE,
    key     text NOT NULL,
    PRIMARY KEY (feed_id, key)
);

CREATE TABLE stories (
    id         text PRIMARY KEY,
    title      text NOT NULL DEFAULT '',
    summary    text NOT NULL DEFAULT '',
    regions    text[] NOT NULL DEFAULT '{}',
    topics     text[] NOT NULL DEFAULT '{}',
    severity   text NOT NULL DEFAULT '',
    first_seen timestamptz NOT NULL,
    last_seen  timestamptz NOT NULL
);
CREATE INDEX stories_last_seen ON stories (last_seen DESC);

CREATE TABLE items (
    id        bigserial PRIMARY KEY,
    feed_id   bigint NOT NULL REFERENCES feeds (id) ON DELETE CASCADE,
    key       text NOT NULL,
    guid      text NOT NULL DEFAULT '',
    url       text NOT NULL DEFAULT '',
    title     text NOT NULL DEFAULT '',
    text      text NOT NULL DEFAULT '',
    summary   text NOT NULL DEFAULT '',
    published timestamptz,
    fetched   timestamptz,
    regions   text[] NOT NULL DEFAULT '{}',
    topics    text[] NOT NULL DEFAULT '{}',
    story_id  text NOT NULL DEFAULT '',
    -- Full-text search: title words outrank body words.
    search    tsvector GENERATED ALWAYS AS (
                  setweight(to_tsvector('english', title), 'A') ||
                  setweight(to_tsvector('english', text), 'B')) STORED,
    UNIQUE (feed_id, key)
);
CREATE INDEX items_search ON items USING gin (search);
CREATE INDEX items_story ON items (story_id);
CREATE INDEX items_published ON items ((coalesce(published, fetched)) DESC, id DESC);
CREATE INDEX items_fetched ON items (fetched);

CREATE TABLE subscriptions (
    id       bigserial PRIMARY KEY,
    platform text NOT NULL,
    channel  text NOT NULL,
    targets  text[] NOT NULL DEFAULT '{}',
    digest   text NOT NULL DEFAULT '',
    created  timestamptz NOT NULL DEFAULT now(),
    UNIQUE (platform, channel)
);

-- The outbox.
CREATE TABLE deliveries (
    id          bigserial PRIMARY KEY,
    platform    text NOT NULL,
    channel     text NOT NULL,
    kind        text NOT NULL,
    story_id    text NOT NULL DEFAULT '',
    item_id     bigint NOT NULL DEFAULT 0,
    payload     bytea,
    status      text NOT NULL DEFAULT 'pending',
    attempts    integer NOT NULL DEFAULT 0,
    next_try    timestamptz,
    lease_owner text NOT NULL DEFAULT '',
    lease_until timestamptz,
    message_ref text NOT NULL DEFAULT '',
    last_error  text NOT NULL DEFAULT '',
    created     timestamptz NOT NULL DEFAULT now(),
    sent_at     timestamptz
);
CREATE INDEX deliveries_due ON deliveries (created, id) WHERE status = 'pending';
CREATE INDEX deliveries_channel ON deliveries (platform, channel, story_id);
CREATE INDEX deliveries_status ON deliveries (status, created DESC, id DESC);

-- The message each story threads under, per channel.
CREATE TABLE roots (
    platform text NOT NULL,
    channel  text NOT NULL,
    story_id text NOT NULL,
    ref      text NOT NULL,
    PRIMARY KEY (platform, channel, story_id)
);
