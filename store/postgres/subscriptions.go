package postgres

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"

	"github.com/sitrep-bot/sitrep/store"
)

// subCols lists the columns scanSub reads, in order.
const subCols = `id, platform, channel, targets, digest, security_only, created`

// scanSub reads one row of subCols.
func scanSub(row pgx.Row) (store.Subscription, error) {
	var s store.Subscription
	var created pgtype.Timestamptz
	if err := row.Scan(&s.ID, &s.Platform, &s.Channel, &s.Targets, &s.Digest, &s.SecurityOnly, &created); err != nil {
		return store.Subscription{}, err
	}
	s.Created = tsVal(created)
	return s, nil
}

// Subscribe creates or replaces the subscription of (platform, channel). A
// replaced subscription keeps its ID and creation time.
func (db *DB) Subscribe(ctx context.Context, s store.Subscription) (store.Subscription, error) {
	got, err := scanSub(db.pool.QueryRow(ctx, `
		INSERT INTO subscriptions (platform, channel, targets, digest, created, security_only)
		VALUES ($1, $2, $3, $4, coalesce($5::timestamptz, now()), $6)
		ON CONFLICT (platform, channel) DO UPDATE SET targets = EXCLUDED.targets, digest = EXCLUDED.digest,
			security_only = EXCLUDED.security_only
		RETURNING `+subCols, s.Platform, s.Channel, arr(s.Targets), s.Digest, tsArg(s.Created), s.SecurityOnly))
	if err != nil {
		return store.Subscription{}, fmt.Errorf("postgres: subscribe %s/%s: %w", s.Platform, s.Channel, mapErr(err))
	}
	return got, nil
}

// Unsubscribe removes the subscription of the channel and, in the same
// transaction, drops its pending deliveries (leased ones too: their
// worker's MarkSent then fails with store.ErrLeaseLost), except replies to
// slash commands, such as the answer to this unsubscribe. Returns
// store.ErrNotFound.
func (db *DB) Unsubscribe(ctx context.Context, platform, channel string) error {
	err := db.inTx(ctx, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `DELETE FROM subscriptions WHERE platform = $1 AND channel = $2`, platform, channel)
		if err != nil {
			return err
		}
		if tag.RowsAffected() == 0 {
			return store.ErrNotFound
		}
		_, err = tx.Exec(ctx, `
			UPDATE deliveries SET status = 'dropped', last_error = 'unsubscribed', lease_until = NULL
			WHERE platform = $1 AND channel = $2 AND status = 'pending' AND kind <> 'reply'`, platform, channel)
		return err
	})
	if err != nil {
		return fmt.Errorf("postgres: unsubscribe %s/%s: %w", platform, channel, err)
	}
	return nil
}

// Subscriptions lists all subscriptions, or one platform's when platform != "",
// by platform and channel.
func (db *DB) Subscriptions(ctx context.Context, platform string) ([]store.Subscription, error) {
	rows, err := db.pool.Query(ctx, `
		SELECT `+subCols+` FROM subscriptions
		WHERE $1 = '' OR platform = $1
		ORDER BY platform, channel`, platform)
	if err != nil {
		return nil, fmt.Errorf("postgres: subscriptions: %w", err)
	}
	subs, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (store.Subscription, error) { return scanSub(r) })
	if err != nil {
		return nil, fmt.Errorf("postgres: subscriptions: %w", err)
	}
	return subs, nil
}
