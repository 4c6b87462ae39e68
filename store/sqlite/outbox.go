package sqlite

import (
	"context"
	"database/sql"
	"time"

	"github.com/sitrep-bot/sitrep/store"
)

// execer is what enqueue needs of a *sql.Tx.
type execer interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// enqueueFor queues the deliveries of a newly stored item (its id set) in tx, each for the item's
// story unless it names one, and clears them from it.
func enqueueFor(ctx context.Context, tx execer, it *store.Item) error {
	for _, d := range it.Deliveries {
		d.ItemID = it.ID
		if d.StoryID == "" {
			d.StoryID = it.StoryID
		}
		if err := enqueue(ctx, tx, d); err != nil {
			return err
		}
	}
	it.Deliveries = nil
	return nil
}

// enqueue inserts one delivery. A post for a story the channel already has
// a live (pending or sent) post or a root for becomes an update of the
// delivery's item (when it has one).
// Duplicates of the one-post and one-update-per-item rules are ignored.
func enqueue(ctx context.Context, tx execer, d store.Delivery) error {
	if d.Kind == store.KindPost && d.StoryID != "" {
		var n int
		err := tx.QueryRowContext(ctx, `SELECT
			(SELECT COUNT(*) FROM deliveries WHERE platform = ?1 AND channel = ?2 AND story_id = ?3 AND kind = 'post'
				AND status IN ('pending', 'sent')) +
			(SELECT COUNT(*) FROM story_roots WHERE platform = ?1 AND channel = ?2 AND story_id = ?3)`,
			d.Platform, d.Channel, d.StoryID).Scan(&n)
		if err != nil {
			return wrap("enqueue", err)
		}
		if n > 0 {
			if d.ItemID == 0 {
				return nil
			}
			d.Kind = store.KindUpdate
		}
	}
	if d.Status == "" {
		d.Status = store.StatusPending
	}
	if d.Created.IsZero() {
		d.Created = time.Now().UTC()
	}
	_, err := tx.ExecContext(ctx, `INSERT INTO deliveries (platform, channel, kind, story_id, item_id, payload, status,
		attempts, next_try, created) VALUES (?, ?, ?, ?, ?, ?, ?, 0, ?, ?) ON CONFLICT DO NOTHING`,
		d.Platform, d.Channel, d.Kind, d.StoryID, d.ItemID, d.Payload, d.Status, toMicros(d.NextTry), toMicros(d.Created))
	return wrap("enqueue", err)
}

// Enqueue adds deliveries.
func (db *DB) Enqueue(ctx context.Context, ds []store.Delivery) error {
	tx, err := db.db.BeginTx(ctx, nil)
	if err != nil {
		return wrap("enqueue: begin", err)
	}
	defer tx.Rollback()
	for _, d := range ds {
		if err := enqueue(ctx, tx, d); err != nil {
			return err
		}
	}
	return wrap("enqueue: commit", tx.Commit())
}

const deliveryColumns = `id, platform, channel, kind, story_id, item_id, payload, status, attempts, next_try,
	lease_owner, lease_until, message_ref, last_error, created, sent_at`

func scanDelivery(row scanner) (store.Delivery, error) {
	var d store.Delivery
	var next, lease, created, sent int64
	err := row.Scan(&d.ID, &d.Platform, &d.Channel, &d.Kind, &d.StoryID, &d.ItemID, &d.Payload, &d.Status, &d.Attempts,
		&next, &d.LeaseOwner, &lease, &d.MessageRef, &d.LastError, &created, &sent)
	d.NextTry, d.LeaseUntil, d.Created, d.SentAt = fromMicros(next), fromMicros(lease), fromMicros(created), fromMicros(sent)
	return d, err
}

// ClaimDeliveries leases due pending deliveries to owner.
func (db *DB) ClaimDeliveries(ctx context.Context, owner string, now time.Time, lease time.Duration, max int) ([]store.Delivery, error) {
	if max <= 0 {
		return nil, nil
	}
	tx, err := db.db.BeginTx(ctx, nil)
	if err != nil {
		return nil, wrap("claim deliveries: begin", err)
	}
	defer tx.Rollback()
	rows, err := tx.QueryContext(ctx, `SELECT `+deliveryColumns+` FROM deliveries
		WHERE status = 'pending' AND next_try <= ? AND lease_until <= ? ORDER BY id LIMIT ?`,
		toMicros(now), toMicros(now), max)
	if err != nil {
		return nil, wrap("claim deliveries", err)
	}
	var out []store.Delivery
	for rows.Next() {
		d, err := scanDelivery(rows)
		if err != nil {
			rows.Close()
			return nil, wrap("claim deliveries", err)
		}
		out = append(out, d)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, wrap("claim deliveries", err)
	}
	until := now.Add(lease)
	for i := range out {
		if _, err := tx.ExecContext(ctx, `UPDATE deliveries SET lease_owner = ?, lease_until = ?, attempts = attempts + 1 WHERE id = ?`,
			owner, toMicros(until), out[i].ID); err != nil {
			return nil, wrap("claim deliveries", err)
		}
		out[i].LeaseOwner, out[i].LeaseUntil = owner, until.UTC()
		out[i].Attempts++
	}
	if err := tx.Commit(); err != nil {
		return nil, wrap("claim deliveries: commit", err)
	}
	return out, nil
}

// MarkSent records a sent delivery and the thread roots it created.
func (db *DB) MarkSent(ctx context.Context, id int64, owner, ref string, at time.Time, roots []string) error {
	tx, err := db.db.BeginTx(ctx, nil)
	if err != nil {
		return wrap("mark sent: begin", err)
	}
	defer tx.Rollback()
	var platform, channel string
	err = tx.QueryRowContext(ctx, `UPDATE deliveries SET status = 'sent', message_ref = ?, sent_at = ?, lease_owner = '',
		lease_until = 0, last_error = '' WHERE id = ? AND lease_owner = ? AND status = 'pending' RETURNING platform, channel`,
		ref, toMicros(at), id, owner).Scan(&platform, &channel)
	if err == sql.ErrNoRows {
		return wrap("mark sent", store.ErrLeaseLost)
	}
	if err != nil {
		return wrap("mark sent", err)
	}
	if roots, err = withSurvivors(ctx, tx, roots); err != nil {
		return err
	}
	for _, story := range roots {
		if _, err := tx.ExecContext(ctx, `INSERT INTO story_roots (platform, channel, story_id, ref) VALUES (?, ?, ?, ?)
			ON CONFLICT DO NOTHING`, platform, channel, story, ref); err != nil {
			return wrap("mark sent", err)
		}
		if _, err := tx.ExecContext(ctx, `UPDATE deliveries SET
				kind = CASE WHEN item_id <> 0 THEN 'update' ELSE kind END,
				status = CASE WHEN item_id <> 0 THEN status ELSE 'dropped' END,
				last_error = CASE WHEN item_id <> 0 THEN last_error ELSE 'story already posted' END
			WHERE platform = ? AND channel = ? AND story_id = ? AND kind = 'post' AND status = 'pending' AND id <> ?`,
			platform, channel, story, id); err != nil {
			return wrap("mark sent", err)
		}
	}
	return wrap("mark sent: commit", tx.Commit())
}

func (db *DB) release(ctx context.Context, op string, id int64, owner, status string, next time.Time, reason string) error {
	res, err := db.db.ExecContext(ctx, `UPDATE deliveries SET status = ?, next_try = ?, last_error = ?, lease_owner = '',
		lease_until = 0 WHERE id = ? AND lease_owner = ? AND status = 'pending'`, status, toMicros(next), reason, id, owner)
	if err != nil {
		return wrap(op, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return wrap(op, store.ErrLeaseLost)
	}
	return nil
}

// MarkRetry schedules another attempt and releases the lease.
func (db *DB) MarkRetry(ctx context.Context, id int64, owner string, next time.Time, reason string) error {
	return db.release(ctx, "mark retry", id, owner, store.StatusPending, next, reason)
}

// MarkFailed records a permanent failure.
func (db *DB) MarkFailed(ctx context.Context, id int64, owner, reason string) error {
	return db.release(ctx, "mark failed", id, owner, store.StatusFailed, time.Time{}, reason)
}

// MarkDropped cancels pending deliveries.
func (db *DB) MarkDropped(ctx context.Context, ids []int64, reason string) error {
	for _, id := range ids {
		if _, err := db.db.ExecContext(ctx, `UPDATE deliveries SET status = 'dropped', last_error = ?, lease_owner = '',
			lease_until = 0 WHERE id = ? AND status = 'pending'`, reason, id); err != nil {
			return wrap("mark dropped", err)
		}
	}
	return nil
}

// DropUpdates cancels the channel's pending updates of these items.
func (db *DB) DropUpdates(ctx context.Context, platform, channel string, itemIDs []int64, reason string) error {
	for _, id := range itemIDs {
		if _, err := db.db.ExecContext(ctx, `UPDATE deliveries SET status = 'dropped', last_error = ?
			WHERE platform = ? AND channel = ? AND item_id = ? AND kind = 'update' AND status = 'pending'`,
			reason, platform, channel, id); err != nil {
			return wrap("drop updates", err)
		}
	}
	return nil
}

// RootRef returns the root message of a story in a channel, or "".
func (db *DB) RootRef(ctx context.Context, platform, channel, storyID string) (string, error) {
	var ref string
	err := db.db.QueryRowContext(ctx, `SELECT ref FROM story_roots WHERE platform = ? AND channel = ? AND story_id = ?`,
		platform, channel, storyID).Scan(&ref)
	if err == sql.ErrNoRows {
		return "", nil
	}
	return ref, wrap("root ref", err)
}

// Deliveries lists deliveries by status, newest first.
func (db *DB) Deliveries(ctx context.Context, status string, limit int) ([]store.Delivery, error) {
	if limit <= 0 {
		limit = 50
	}
	rows, err := db.db.QueryContext(ctx, `SELECT `+deliveryColumns+` FROM deliveries WHERE (? = '' OR status = ?)
		ORDER BY id DESC LIMIT ?`, status, status, limit)
	if err != nil {
		return nil, wrap("deliveries", err)
	}
	defer rows.Close()
	var out []store.Delivery
	for rows.Next() {
		d, err := scanDelivery(rows)
		if err != nil {
			return nil, wrap("deliveries", err)
		}
		out = append(out, d)
	}
	return out, wrap("deliveries", rows.Err())
}

// LastDigest returns the channel's newest pending or sent digest.
func (db *DB) LastDigest(ctx context.Context, platform, channel string) (store.Delivery, error) {
	d, err := scanDelivery(db.queryRow(ctx, `SELECT `+deliveryColumns+` FROM deliveries
		WHERE platform = ? AND channel = ? AND kind = 'digest' AND status IN ('pending', 'sent')
		ORDER BY created DESC, id DESC LIMIT 1`, platform, channel))
	if err != nil {
		return store.Delivery{}, wrap("last digest", err)
	}
	return d, nil
}

// Subscribe creates or replaces a channel's subscription.
func (db *DB) Subscribe(ctx context.Context, s store.Subscription) (store.Subscription, error) {
	if s.Created.IsZero() {
		s.Created = time.Now().UTC()
	}
	err := db.db.QueryRowContext(ctx, `INSERT INTO subscriptions (platform, channel, targets, digest, security_only, created) VALUES (?, ?, ?, ?, ?, ?)
		ON CONFLICT (platform, channel) DO UPDATE SET targets = excluded.targets, digest = excluded.digest, security_only = excluded.security_only
		RETURNING id, created`, s.Platform, s.Channel, toJSON(s.Targets), s.Digest, s.SecurityOnly, toMicros(s.Created)).Scan(&s.ID, new(int64))
	if err != nil {
		return store.Subscription{}, wrap("subscribe", err)
	}
	subs, err := db.querySubs(ctx, `WHERE id = ?`, s.ID)
	if err != nil || len(subs) == 0 {
		return s, err
	}
	return subs[0], nil
}

// Unsubscribe removes a channel's subscription and its pending deliveries.
func (db *DB) Unsubscribe(ctx context.Context, platform, channel string) error {
	tx, err := db.db.BeginTx(ctx, nil)
	if err != nil {
		return wrap("unsubscribe: begin", err)
	}
	defer tx.Rollback()
	res, err := tx.ExecContext(ctx, `DELETE FROM subscriptions WHERE platform = ? AND channel = ?`, platform, channel)
	if err != nil {
		return wrap("unsubscribe", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return wrap("unsubscribe", store.ErrNotFound)
	}
	if _, err := tx.ExecContext(ctx, `UPDATE deliveries SET status = 'dropped', last_error = 'unsubscribed'
		WHERE platform = ? AND channel = ? AND status = 'pending' AND kind <> 'reply'`, platform, channel); err != nil {
		return wrap("unsubscribe", err)
	}
	return wrap("unsubscribe: commit", tx.Commit())
}

// Subscriptions lists subscriptions, all or one platform's.
func (db *DB) Subscriptions(ctx context.Context, platform string) ([]store.Subscription, error) {
	if platform == "" {
		return db.querySubs(ctx, `ORDER BY id`)
	}
	return db.querySubs(ctx, `WHERE platform = ? ORDER BY id`, platform)
}

func (db *DB) querySubs(ctx context.Context, tail string, args ...any) ([]store.Subscription, error) {
	rows, err := db.query(ctx, `SELECT id, platform, channel, targets, digest, security_only, created FROM subscriptions `+tail, args...)
	if err != nil {
		return nil, wrap("subscriptions", err)
	}
	defer rows.Close()
	var out []store.Subscription
	for rows.Next() {
		var s store.Subscription
		var targets string
		var created int64
		if err := rows.Scan(&s.ID, &s.Platform, &s.Channel, &targets, &s.Digest, &s.SecurityOnly, &created); err != nil {
			return nil, wrap("subscriptions", err)
		}
		s.Targets, s.Created = fromJSON(targets), fromMicros(created)
		out = append(out, s)
	}
	return out, wrap("subscriptions", rows.Err())
}
