-- A story that the clusterer found to report the same event as another is merged into it
-- (store.Regroup): its id then stands for the other, so ids held by deliveries, chat commands
-- and other replicas still find the story. '' for a story that was not merged.
ALTER TABLE stories ADD COLUMN merged_into TEXT NOT NULL DEFAULT '';
CREATE INDEX stories_merged_into ON stories (merged_into) WHERE merged_into <> '';
CREATE INDEX story_roots_story ON story_roots (story_id);
