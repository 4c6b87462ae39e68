-- The security flag of items and stories (a story is security news when any report is), the
-- severity of each item, and subscriptions limited to security news.
ALTER TABLE items ADD COLUMN security INTEGER NOT NULL DEFAULT 0;
ALTER TABLE items ADD COLUMN severity TEXT NOT NULL DEFAULT '';
ALTER TABLE stories ADD COLUMN security INTEGER NOT NULL DEFAULT 0;
ALTER TABLE subscriptions ADD COLUMN security_only INTEGER NOT NULL DEFAULT 0;
