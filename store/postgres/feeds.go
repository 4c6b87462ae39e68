package postgres

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"

	"github.com/sitrep-bot/sitrep/store"
)

// feedCols lists the feeds columns scanFeed reads, in order.
const feedCols = `id, url, name, schedule, article, added_by, etag, last_modified,
	first_fetched, last_success, last_error, last_error_at, failures, next_poll`

// scanFeed reads one row of feedCols.
func scanFeed(row pgx.Row) (store.Feed, error) {
	var f store.Feed
	var first, success, errAt, next pgtype.Timestamptz
	err := row.Scan(&f.ID, &f.URL, &f.Name, &f.Schedule, &f.Article, &f.AddedBy, &f.ETag, &f.LastModified,
		&first, &success, &f.LastError, &errAt, &f.Failures, &next)
	if err != nil {
		return store.Feed{}, err
	}
	f.FirstFetched, f.LastSuccess, f.LastErrorAt, f.NextPoll = tsVal(first), tsVal(success), tsVal(errAt), tsVal(next)
	return f, nil
}

// UpsertFeed inserts f by URL, or updates Name/Schedule/Article of an
// existing feed, and returns the stored feed.
func (db *DB) UpsertFeed(ctx context.Context, f store.Feed) (store.Feed, error) {
	row := db.pool.QueryRow(ctx, `
		INSERT INTO feeds (url, name, schedule, article, added_by) VALUES ($1, $2, $3, $4, $5)
		ON CONFLICT (url) DO UPDATE SET name = EXCLUDED.name, schedule = EXCLUDED.schedule, article = EXCLUDED.article,
			added_by = CASE WHEN feeds.deleted THEN EXCLUDED.added_by ELSE feeds.added_by END, deleted = false
		RETURNING `+feedCols, f.URL, clean(f.Name), f.Schedule, f.Article, f.AddedBy)
	got, err := scanFeed(row)
	if err != nil {
		return store.Feed{}, fmt.Errorf("postgres: upsert feed %s: %w", f.URL, mapErr(err))
	}
	return got, nil
}

// DeleteFeed hides the feed with this URL; its items and fetch state stay
// for a re-add. Returns store.ErrNotFound.
func (db *DB) DeleteFeed(ctx context.Context, url string) error {
	tag, err := db.pool.Exec(ctx, `UPDATE feeds SET deleted = true, poll_owner = '', poll_until = NULL
		WHERE url = $1 AND NOT deleted`, url)
	if err != nil {
		return fmt.Errorf("postgres: delete feed %s: %w", url, err)
	}
	if tag.RowsAffected() == 0 {
		return fmt.Errorf("postgres: delete feed %s: %w", url, store.ErrNotFound)
	}
	return nil
}

// Feed returns one feed by URL. Returns store.ErrNotFound.
func (db *DB) Feed(ctx context.Context, url string) (store.Feed, error) {
	f, err := scanFeed(db.pool.QueryRow(ctx, `SELECT `+feedCols+` FROM feeds WHERE url = $1 AND NOT deleted`, url))
	if err != nil {
		return store.Feed{}, fmt.Errorf("postgres: feed %s: %w", url, mapErr(err))
	}
	return f, nil
}

// Feeds lists every feed, by ID.
func (db *DB) Feeds(ctx context.Context) ([]store.Feed, error) {
	rows, err := db.pool.Query(ctx, `SELECT `+feedCols+` FROM feeds WHERE NOT deleted ORDER BY id`)
	if err != nil {
		return nil, fmt.Errorf("postgres: feeds: %w", err)
	}
	feeds, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (store.Feed, error) { return scanFeed(r) })
	if err != nil {
		return nil, fmt.Errorf("postgres: feeds: %w", err)
	}
	return feeds, nil
}

// SaveFeedState stores the fetch state of f (by ID) and ends the poll by
// releasing its lease. Returns store.ErrNotFound when the feed does not exist.
func (db *DB) SaveFeedState(ctx context.Context, f store.Feed) error {
	tag, err := db.pool.Exec(ctx, `
		UPDATE feeds SET etag = $2, last_modified = $3, first_fetched = $4, last_success = $5,
			last_error = $6, last_error_at = $7, failures = $8, next_poll = $9,
			poll_owner = '', poll_until = NULL
		WHERE id = $1`,
		f.ID, clean(f.ETag), clean(f.LastModified), tsArg(f.FirstFetched), tsArg(f.LastSuccess),
		clean(f.LastError), tsArg(f.LastErrorAt), f.Failures, tsArg(f.NextPoll))
	if err != nil {
		return fmt.Errorf("postgres: save feed state %d: %w", f.ID, err)
	}
	if tag.RowsAffected() == 0 {
		return fmt.Errorf("postgres: save feed state %d: %w", f.ID, store.ErrNotFound)
	}
	return nil
}

// ClaimFeedPoll takes the right to poll feed id until leaseUntil, for owner,
// if nobody else holds a live lease and NextPoll has come. The check and the
// claim are one conditional UPDATE, so exactly one replica wins. An owner may
// renew its own live lease. An unknown feed cannot be claimed.
func (db *DB) ClaimFeedPoll(ctx context.Context, id int64, owner string, now, leaseUntil time.Time) (bool, error) {
	tag, err := db.pool.Exec(ctx, `
		UPDATE feeds SET poll_owner = $2, poll_until = $4
		WHERE id = $1 AND NOT deleted
		  AND (next_poll IS NULL OR next_poll <= $3)
		  AND (poll_until IS NULL OR poll_until <= $3 OR poll_owner = $2)`,
		id, owner, now.UTC(), leaseUntil.UTC())
	if err != nil {
		return false, fmt.Errorf("postgres: claim feed poll %d: %w", id, err)
	}
	return tag.RowsAffected() == 1, nil
}

// errNoRows reports whether err means a query found nothing.
func errNoRows(err error) bool { return errors.Is(err, pgx.ErrNoRows) }

// Counts counts feeds and outbox deliveries without loading them.
func (db *DB) Counts(ctx context.Context) (store.Counts, error) {
	var c store.Counts
	err := db.pool.QueryRow(ctx, `SELECT
		(SELECT COUNT(*) FROM feeds WHERE NOT deleted),
		(SELECT COUNT(*) FROM feeds WHERE NOT deleted AND failures > 0),
		(SELECT COUNT(*) FROM deliveries WHERE status = 'pending'),
		(SELECT COUNT(*) FROM deliveries WHERE status = 'failed')`).Scan(&c.Feeds, &c.FeedsFailing, &c.Pending, &c.Failed)
	if err != nil {
		return c, fmt.Errorf("postgres: counts: %w", err)
	}
	return c, nil
}
