-- The security flag of items and stories (a story is security news when any report is), the
-- severity of each item, and subscriptions limited to security news.
ALTER TABLE items ADD COLUMN security boolean NOT NULL DEFAULT false;
ALTER TABLE items ADD COLUMN severity text NOT NULL DEFAULT '';
ALTER TABLE stories ADD COLUMN security boolean NOT NULL DEFAULT false;
ALTER TABLE subscriptions ADD COLUMN security_only boolean NOT NULL DEFAULT false;
