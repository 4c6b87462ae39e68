-- Deleting a feed hides it; its items and fetch state stay, so re-adding the
-- URL resumes under the same id and items already seen are never new again.
ALTER TABLE feeds ADD COLUMN deleted INTEGER NOT NULL DEFAULT 0;
