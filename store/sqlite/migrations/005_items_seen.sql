-- Recent-item queries (RecentItems, Items with Since) filter and order on
-- MAX(published, fetched); index that instead of fetched alone, which no
-- query used, so they stop scanning the whole table.
DROP INDEX items_fetched;
CREATE INDEX items_seen ON items (MAX(published, fetched));
