package postgres

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"

	"github.com/sitrep-bot/sitrep/store"
)

// deliveryCols lists the columns scanDelivery reads, in order.
const deliveryCols = `id, platform, channel, kind, story_id, item_id, payload, status, attempts,
	next_try, lease_owner, lease_until, message_ref, last_error, created, sent_at`

// scanDelivery reads one row of deliveryCols.
func scanDelivery(row pgx.Row) (store.Delivery, error) {
	var d store.Delivery
	var next, until, created, sent pgtype.Timestamptz
	err := row.Scan(&d.ID, &d.Platform, &d.Channel, &d.Kind, &d.StoryID, &d.ItemID, &d.Payload, &d.Status, &d.Attempts,
		&next, &d.LeaseOwner, &until, &d.MessageRef, &d.LastError, &created, &sent)
	if err != nil {
		return store.Delivery{}, err
	}
	d.NextTry, d.LeaseUntil, d.Created, d.SentAt = tsVal(next), tsVal(until), tsVal(created), tsVal(sent)
	return d, nil
}

// collectDeliveries reads every row of deliveryCols.
func collectDeliveries(rows pgx.Rows) ([]store.Delivery, error) {
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (store.Delivery, error) { return scanDelivery(r) })
}

// enqueue adds one pending delivery; the caller holds lockRoots for it. A
// post for a story that already has a live post or a root in the channel
// becomes an update of the delivery's item, or is ignored when it has none.
// A digest whose (channel, fire-time key) is already queued is ignored.
func enqueue(ctx context.Context, tx pgx.Tx, d store.Delivery) error {
	if d.Kind == store.KindPost && d.StoryID != "" {
		rooted, err := hasRoot(ctx, tx, d.Platform, d.Channel, d.StoryID)
		if err != nil {
			return err
		}
		if rooted {
			if d.ItemID == 0 {
				return nil
			}
			d.Kind = store.KindUpdate
		}
	}
	// The only unique index on deliveries is one digest per channel and key.
	_, err := tx.Exec(ctx, `
		INSERT INTO deliveries (platform, channel, kind, story_id, item_id, payload, next_try, created)
		VALUES ($1, $2, $3, $4, $5, $6, $7, coalesce($8::timestamptz, now()))
		ON CONFLICT DO NOTHING`,
		d.Platform, d.Channel, d.Kind, d.StoryID, d.ItemID, d.Payload, tsArg(d.NextTry), tsArg(d.Created))
	if err != nil {
		return fmt.Errorf("delivery to %s/%s: %w", d.Platform, d.Channel, err)
	}
	return nil
}

// Enqueue adds pending deliveries outside an item transaction (digests,
// replies, roll-ups), all or none, with the same rules as InsertItems: one
// root post per story and channel, one digest per channel and fire-time key.
func (db *DB) Enqueue(ctx context.Context, ds []store.Delivery) error {
	if len(ds) == 0 {
		return nil
	}
	err := db.inTx(ctx, func(tx pgx.Tx) error {
		if err := lockRoots(ctx, tx, ds); err != nil {
			return err
		}
		for _, d := range ds {
			if err := enqueue(ctx, tx, d); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("postgres: enqueue: %w", err)
	}
	return nil
}

// ClaimDeliveries leases up to max due pending deliveries (NextTry <= now, no
// live lease) to owner until now+lease, oldest (first enqueued) first, and
// counts the attempt.
// Rows another replica is claiming at the same moment are skipped, not waited
// for.
func (db *DB) ClaimDeliveries(ctx context.Context, owner string, now time.Time, lease time.Duration, max int) ([]store.Delivery, error) {
	if max <= 0 {
		return nil, nil
	}
	now = now.UTC()
	rows, err := db.pool.Query(ctx, `
		UPDATE deliveries d SET lease_owner = $1, lease_until = $3, attempts = d.attempts + 1
		FROM (SELECT id FROM deliveries
		      WHERE status = 'pending'
		        AND (next_try IS NULL OR next_try <= $2)
		        AND (lease_until IS NULL OR lease_until <= $2)
		      ORDER BY id
		      LIMIT $4
		      FOR UPDATE SKIP LOCKED) AS due
		WHERE d.id = due.id
		RETURNING `+prefixed("d.", deliveryCols), owner, now, now.Add(lease), max)
	if err != nil {
		return nil, fmt.Errorf("postgres: claim deliveries: %w", err)
	}
	ds, err := collectDeliveries(rows)
	if err != nil {
		return nil, fmt.Errorf("postgres: claim deliveries: %w", err)
	}
	slices.SortFunc(ds, func(a, b store.Delivery) int { return cmp.Compare(a.ID, b.ID) })
	return ds, nil
}

// leased runs an UPDATE of one pending delivery held by owner, and maps "no
// row" to store.ErrLeaseLost, or store.ErrNotFound for an unknown id.
func leased(ctx context.Context, q pgx.Tx, id int64, owner, sql string, args ...any) error {
	tag, err := q.Exec(ctx, sql+` WHERE id = $1 AND lease_owner = $2 AND status = 'pending'`,
		append([]any{id, owner}, args...)...)
	if err != nil {
		return err
	}
	if tag.RowsAffected() == 1 {
		return nil
	}
	var exists bool
	if err := q.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM deliveries WHERE id = $1)`, id).Scan(&exists); err != nil {
		return err
	}
	if !exists {
		return store.ErrNotFound
	}
	return store.ErrLeaseLost
}

// MarkSent records the platform's message ref and makes that message the
// thread root of each story in roots for the delivery's channel (a story
// that already has a root keeps it). Other pending posts of those stories
// there become updates of their items, or are dropped when they have none. Only the lease owner's word counts
// (store.ErrLeaseLost otherwise), even after the lease time has passed, as
// long as nobody else has claimed the delivery.
func (db *DB) MarkSent(ctx context.Context, id int64, owner, ref string, at time.Time, roots []string) error {
	err := db.inTx(ctx, func(tx pgx.Tx) error {
		err := leased(ctx, tx, id, owner,
			`UPDATE deliveries SET status = 'sent', message_ref = $3, sent_at = $4, lease_until = NULL, last_error = ''`,
			clean(ref), at.UTC())
		if err != nil {
			return err
		}
		if len(roots) == 0 {
			return nil
		}
		roots, err := withSurvivors(ctx, tx, roots)
		if err != nil {
			return err
		}
		_, err = tx.Exec(ctx, `
			INSERT INTO roots (platform, channel, story_id, ref)
			SELECT d.platform, d.channel, r, $2 FROM deliveries d, unnest($3::text[]) AS r
			WHERE d.id = $1 AND r <> ''
			ON CONFLICT DO NOTHING`, id, clean(ref), arr(roots))
		if err != nil {
			return err
		}
		// The stories are posted in this channel now: their other pending
		// root posts must not follow. One that reports an item (enqueued
		// after a roll-up folded the first post) becomes an update of it;
		// one that reports nothing in particular is dropped.
		_, err = tx.Exec(ctx, `
			UPDATE deliveries o SET
				kind = CASE WHEN o.item_id <> 0 THEN 'update' ELSE o.kind END,
				status = CASE WHEN o.item_id <> 0 THEN o.status ELSE 'dropped' END,
				last_error = CASE WHEN o.item_id <> 0 THEN o.last_error ELSE 'story already posted' END,
				lease_until = CASE WHEN o.item_id <> 0 THEN o.lease_until END
			FROM deliveries d
			WHERE d.id = $1 AND o.platform = d.platform AND o.channel = d.channel AND o.id <> d.id
			  AND o.kind = 'post' AND o.status = 'pending' AND o.story_id = ANY($2)`, id, arr(roots))
		return err
	})
	if err != nil {
		return fmt.Errorf("postgres: mark sent %d: %w", id, err)
	}
	return nil
}

// MarkRetry releases the lease and schedules another attempt at next.
// Returns store.ErrLeaseLost when owner no longer holds the delivery.
func (db *DB) MarkRetry(ctx context.Context, id int64, owner string, next time.Time, reason string) error {
	err := db.inTx(ctx, func(tx pgx.Tx) error {
		return leased(ctx, tx, id, owner,
			`UPDATE deliveries SET next_try = $3, last_error = $4, lease_owner = '', lease_until = NULL`,
			tsArg(next), clean(reason))
	})
	if err != nil {
		return fmt.Errorf("postgres: mark retry %d: %w", id, err)
	}
	return nil
}

// MarkFailed records a permanent failure. Returns store.ErrLeaseLost when
// owner no longer holds the delivery.
func (db *DB) MarkFailed(ctx context.Context, id int64, owner, reason string) error {
	err := db.inTx(ctx, func(tx pgx.Tx) error {
		return leased(ctx, tx, id, owner,
			`UPDATE deliveries SET status = 'failed', last_error = $3, lease_until = NULL`, clean(reason))
	})
	if err != nil {
		return fmt.Errorf("postgres: mark failed %d: %w", id, err)
	}
	return nil
}

// MarkDropped cancels the pending deliveries among ids; others are left as
// they are.
func (db *DB) MarkDropped(ctx context.Context, ids []int64, reason string) error {
	if len(ids) == 0 {
		return nil
	}
	_, err := db.pool.Exec(ctx, `
		UPDATE deliveries SET status = 'dropped', last_error = $2, lease_until = NULL
		WHERE id = ANY($1) AND status = 'pending'`, ids, clean(reason))
	if err != nil {
		return fmt.Errorf("postgres: mark dropped: %w", err)
	}
	return nil
}

// DropUpdates cancels the channel's pending updates of these items: a root
// post that already lists them makes them moot.
func (db *DB) DropUpdates(ctx context.Context, platform, channel string, itemIDs []int64, reason string) error {
	if len(itemIDs) == 0 {
		return nil
	}
	_, err := db.pool.Exec(ctx, `
		UPDATE deliveries SET status = 'dropped', last_error = $4, lease_until = NULL
		WHERE platform = $1 AND channel = $2 AND item_id = ANY($3) AND kind = 'update' AND status = 'pending'`,
		clean(platform), clean(channel), itemIDs, clean(reason))
	if err != nil {
		return fmt.Errorf("postgres: drop updates: %w", err)
	}
	return nil
}

// RootRef returns the message ref recorded as the root of a story in a
// channel, or "" when there is none yet.
func (db *DB) RootRef(ctx context.Context, platform, channel, storyID string) (string, error) {
	var ref string
	err := db.pool.QueryRow(ctx, `SELECT ref FROM roots WHERE platform = $1 AND channel = $2 AND story_id = $3`,
		platform, channel, storyID).Scan(&ref)
	if errNoRows(err) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("postgres: root ref: %w", err)
	}
	return ref, nil
}

// Deliveries lists deliveries with the given status ("" for all), newest
// (last enqueued) first; limit 0 means 50.
func (db *DB) Deliveries(ctx context.Context, status string, limit int) ([]store.Delivery, error) {
	rows, err := db.pool.Query(ctx, `
		SELECT `+deliveryCols+` FROM deliveries
		WHERE $1 = '' OR status = $1
		ORDER BY id DESC LIMIT $2`, status, limitOr(limit, 50))
	if err != nil {
		return nil, fmt.Errorf("postgres: deliveries: %w", err)
	}
	ds, err := collectDeliveries(rows)
	if err != nil {
		return nil, fmt.Errorf("postgres: deliveries: %w", err)
	}
	return ds, nil
}

// LastDigest returns the channel's newest pending or sent digest.
// Returns store.ErrNotFound when there is none.
func (db *DB) LastDigest(ctx context.Context, platform, channel string) (store.Delivery, error) {
	d, err := scanDelivery(db.pool.QueryRow(ctx, `
		SELECT `+deliveryCols+` FROM deliveries
		WHERE platform = $1 AND channel = $2 AND kind = 'digest' AND status IN ('pending', 'sent')
		ORDER BY created DESC, id DESC LIMIT 1`, platform, channel))
	if err != nil {
		return store.Delivery{}, fmt.Errorf("postgres: last digest: %w", mapErr(err))
	}
	return d, nil
}

// prefixed qualifies each column of a comma-separated list with p.
func prefixed(p, cols string) string {
	parts := strings.Split(cols, ",")
	for i, c := range parts {
		parts[i] = p + strings.TrimSpace(c)
	}
	return strings.Join(parts, ", ")
}
