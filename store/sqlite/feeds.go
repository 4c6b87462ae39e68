package sqlite

import (
	"context"
	"time"

	"github.com/sitrep-bot/sitrep/store"
)

const feedColumns = `id, url, name, schedule, article, added_by, etag, last_modified, first_fetched,
	last_success, last_error, last_error_at, failures, next_poll`

type scanner interface{ Scan(dest ...any) error }

func scanFeed(row scanner) (store.Feed, error) {
	var f store.Feed
	var first, success, errAt, next int64
	err := row.Scan(&f.ID, &f.URL, &f.Name, &f.Schedule, &f.Article, &f.AddedBy, &f.ETag, &f.LastModified,
		&first, &success, &f.LastError, &errAt, &f.Failures, &next)
	f.FirstFetched, f.LastSuccess, f.LastErrorAt, f.NextPoll = fromMicros(first), fromMicros(success), fromMicros(errAt), fromMicros(next)
	return f, err
}

// UpsertFeed inserts f by URL or updates its name, schedule and article mode.
func (db *DB) UpsertFeed(ctx context.Context, f store.Feed) (store.Feed, error) {
	_, err := db.db.ExecContext(ctx, `INSERT INTO feeds (url, name, schedule, article, added_by) VALUES (?, ?, ?, ?, ?)
		ON CONFLICT (url) DO UPDATE SET name = excluded.name, schedule = excluded.schedule, article = excluded.article,
			added_by = CASE WHEN feeds.deleted = 1 THEN excluded.added_by ELSE feeds.added_by END, deleted = 0`,
		f.URL, f.Name, f.Schedule, f.Article, f.AddedBy)
	if err != nil {
		return store.Feed{}, wrap("upsert feed", err)
	}
	return db.Feed(ctx, f.URL)
}

// DeleteFeed hides a feed by URL; its items and state stay for a re-add.
func (db *DB) DeleteFeed(ctx context.Context, url string) error {
	res, err := db.db.ExecContext(ctx, `UPDATE feeds SET deleted = 1, lease_owner = '', lease_until = 0 WHERE url = ? AND deleted = 0`, url)
	if err != nil {
		return wrap("delete feed", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return wrap("delete feed", store.ErrNotFound)
	}
	return nil
}

// Feed returns one feed by URL.
func (db *DB) Feed(ctx context.Context, url string) (store.Feed, error) {
	f, err := scanFeed(db.db.QueryRowContext(ctx, `SELECT `+feedColumns+` FROM feeds WHERE url = ? AND deleted = 0`, url))
	return f, wrap("feed", err)
}

// Feeds lists every feed by ID.
func (db *DB) Feeds(ctx context.Context) ([]store.Feed, error) {
	rows, err := db.db.QueryContext(ctx, `SELECT `+feedColumns+` FROM feeds WHERE deleted = 0 ORDER BY id`)
	if err != nil {
		return nil, wrap("feeds", err)
	}
	defer rows.Close()
	var out []store.Feed
	for rows.Next() {
		f, err := scanFeed(rows)
		if err != nil {
			return nil, wrap("feeds", err)
		}
		out = append(out, f)
	}
	return out, wrap("feeds", rows.Err())
}

// SaveFeedState stores the fetch state and health of f, and releases any
// poll lease. Concurrent calls share a transaction (groupExec).
func (db *DB) SaveFeedState(ctx context.Context, f store.Feed) error {
	n, err := db.groupExec(ctx, saveFeedStateSQL, saveFeedStateArgs(f)...)
	if err != nil {
		return wrap("save feed state", err)
	}
	if n == 0 {
		return wrap("save feed state", store.ErrNotFound)
	}
	return nil
}

// saveFeedStateArgs are saveFeedStateSQL's arguments for f.
func saveFeedStateArgs(f store.Feed) []any {
	return []any{f.ETag, f.LastModified, toMicros(f.FirstFetched), toMicros(f.LastSuccess), f.LastError, toMicros(f.LastErrorAt),
		f.Failures, toMicros(f.NextPoll), f.ID}
}

const saveFeedStateSQL = `UPDATE feeds SET etag = ?, last_modified = ?, first_fetched = ?, last_success = ?,
	last_error = ?, last_error_at = ?, failures = ?, next_poll = ?, lease_owner = '', lease_until = 0 WHERE id = ?`

// ClaimFeedPoll takes the poll lease of a due feed. Concurrent calls share
// a transaction (groupExec).
func (db *DB) ClaimFeedPoll(ctx context.Context, id int64, owner string, now, leaseUntil time.Time) (bool, error) {
	n, err := db.groupExec(ctx, claimFeedPollSQL, owner, toMicros(leaseUntil), id, toMicros(now), toMicros(now), owner)
	return n == 1, wrap("claim feed poll", err)
}

const claimFeedPollSQL = `UPDATE feeds SET lease_owner = ?, lease_until = ?
	WHERE id = ? AND deleted = 0 AND next_poll <= ? AND (lease_until <= ? OR lease_owner = ?)`

// Counts counts feeds and outbox deliveries without loading them.
func (db *DB) Counts(ctx context.Context) (store.Counts, error) {
	var c store.Counts
	err := db.queryRow(ctx, `SELECT
		(SELECT COUNT(*) FROM feeds WHERE deleted = 0),
		(SELECT COUNT(*) FROM feeds WHERE deleted = 0 AND failures > 0),
		(SELECT COUNT(*) FROM deliveries WHERE status = 'pending'),
		(SELECT COUNT(*) FROM deliveries WHERE status = 'failed')`).Scan(&c.Feeds, &c.FeedsFailing, &c.Pending, &c.Failed)
	return c, wrap("counts", err)
}
