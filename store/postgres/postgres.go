// Package postgres is the PostgreSQL backend of store.Store, for several
// sitrep replicas sharing one database. It uses pgx directly through a
// connection pool; schema migrations are embedded and applied by Open.
//
// Concurrency: feed polls are claimed with one conditional UPDATE, deliveries
// with FOR UPDATE SKIP LOCKED, and item keys are deduplicated by a unique key
// table, so replicas never poll, insert or send the same thing twice.
package postgres

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgtype"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/sitrep-bot/sitrep/store"
)

// DB is a store.Store on PostgreSQL. It is safe for concurrent use.
type DB struct {
	pool *pgxpool.Pool
}

var _ store.Store = (*DB)(nil)

// Open connects to the database at url (postgres://user@host:5432/db?…),
// applies pending migrations and returns the store. Runtime parameters in the
// URL (for example search_path=myschema) apply to every connection.
func Open(ctx context.Context, url string) (*DB, error) {
	cfg, err := pgxpool.ParseConfig(url)
	if err != nil {
		return nil, fmt.Errorf("postgres: open: %w", err)
	}
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("postgres: open: %w", err)
	}
	db := &DB{pool: pool}
	if err := db.migrate(ctx); err != nil {
		pool.Close()
		return nil, err
	}
	return db, nil
}

// Ping checks the database is reachable.
func (db *DB) Ping(ctx context.Context) error {
	if err := db.pool.Ping(ctx); err != nil {
		return fmt.Errorf("postgres: ping: %w", err)
	}
	return nil
}

// Close releases every connection.
func (db *DB) Close() error {
	db.pool.Close()
	return nil
}

// maxTxAttempts bounds how often a transaction is retried after a deadlock or
// serialization failure.
const maxTxAttempts = 4

// inTx runs fn in a read-committed transaction, committing when fn returns
// nil. Deadlocks and serialization failures, which concurrent replicas can
// cause, are retried a few times.
func (db *DB) inTx(ctx context.Context, fn func(tx pgx.Tx) error) error {
	var err error
	for range maxTxAttempts {
		err = pgx.BeginFunc(ctx, db.pool, fn)
		if !retryable(err) {
			return err
		}
	}
	return err
}

// retryable reports whether err is a transient conflict between transactions.
func retryable(err error) bool {
	var pgErr *pgconn.PgError
	if !errors.As(err, &pgErr) {
		return false
	}
	switch pgErr.Code {
	case "40001", "40P01": // serialization_failure, deadlock_detected
		return true
	}
	return false
}

// mapErr turns PostgreSQL errors into store sentinels where one applies.
func mapErr(err error) error {
	if errors.Is(err, pgx.ErrNoRows) {
		return store.ErrNotFound
	}
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) && pgErr.Code == "23505" { // unique_violation
		return fmt.Errorf("%w: %s", store.ErrConflict, pgErr.ConstraintName)
	}
	return err
}

// tsArg converts a time for storage: UTC, and NULL for the zero time.
func tsArg(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return t.UTC()
}

// tsVal converts a scanned timestamptz back: UTC, and zero for NULL.
func tsVal(t pgtype.Timestamptz) time.Time {
	if !t.Valid {
		return time.Time{}
	}
	return t.Time.UTC()
}

// arr makes a nil slice an empty array so NOT NULL array columns accept it.
// Elements are cleaned like text.
func arr(s []string) []string {
	out := make([]string, len(s))
	for i, v := range s {
		out[i] = clean(v)
	}
	return out
}

// clean makes s storable as PostgreSQL text: invalid UTF-8 becomes U+FFFD
// and NUL bytes are removed. Feeds and HTTP headers contain both.
func clean(s string) string {
	if strings.IndexByte(s, 0) >= 0 {
		s = strings.ReplaceAll(s, "\x00", "")
	}
	return strings.ToValidUTF8(s, "\uFFFD")
}

// limitOr returns n, or def when n is not positive.
func limitOr(n, def int) int {
	if n <= 0 {
		return def
	}
	return n
}
