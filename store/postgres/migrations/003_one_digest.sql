-- A digest delivery carries its fire-time key in story_id: one digest per
-- channel and key, so replicas firing the same schedule enqueue it once.
CREATE UNIQUE INDEX deliveries_one_digest ON deliveries (platform, channel, story_id) WHERE kind = 'digest';
