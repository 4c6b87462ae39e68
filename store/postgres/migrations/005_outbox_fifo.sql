-- The outbox is first in, first out by id: Created comes from each replica's
-- clock, and insertion order is what "oldest" means across replicas.
DROP INDEX deliveries_due;
CREATE INDEX deliveries_due ON deliveries (id) WHERE status = 'pending';
DROP INDEX deliveries_status;
CREATE INDEX deliveries_status ON deliveries (status, id DESC);
