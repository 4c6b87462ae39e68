package sqlite

import (
	"context"
	"database/sql"
	"sync"
)

// maxCachedStmts bounds the statement cache; queries built with a
// variable number of placeholders could otherwise grow it without end.
const maxCachedStmts = 128

// stmtCache keeps one prepared *sql.Stmt per query text. database/sql
// prepares a Stmt lazily on each pooled connection it runs on and keeps
// it there, and the driver keeps a single-statement query compiled
// between runs, so a hot query is parsed once per connection instead of
// on every call (SQLite's parser costs more than running small statements).
type stmtCache struct {
	mu sync.Mutex
	m  map[string]*sql.Stmt
}

// stmt returns the cached prepared statement for q, preparing it on
// first use. It returns nil (and no error) when the cache is full; the
// caller then runs q unprepared.
func (db *DB) stmt(ctx context.Context, q string) (*sql.Stmt, error) {
	c := &db.stmts
	c.mu.Lock()
	if s, ok := c.m[q]; ok {
		c.mu.Unlock()
		return s, nil
	}
	full := len(c.m) >= maxCachedStmts
	c.mu.Unlock()
	if full {
		return nil, nil
	}
	// Prepare without the lock: on a one-connection database the prepare
	// waits for a transaction that may itself need the cache (txStmt).
	s, err := db.db.PrepareContext(ctx, q)
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if old, ok := c.m[q]; ok {
		s.Close() // another goroutine prepared it meanwhile
		return old, nil
	}
	if c.m == nil {
		c.m = make(map[string]*sql.Stmt)
	}
	c.m[q] = s
	return s, nil
}

// closeStmts closes every cached statement.
func (db *DB) closeStmts() {
	c := &db.stmts
	c.mu.Lock()
	defer c.mu.Unlock()
	for q, s := range c.m {
		s.Close()
		delete(c.m, q)
	}
}

// exec runs q through the statement cache.
func (db *DB) exec(ctx context.Context, q string, args ...any) (sql.Result, error) {
	s, err := db.stmt(ctx, q)
	if err != nil {
		return nil, err
	}
	if s == nil {
		return db.db.ExecContext(ctx, q, args...)
	}
	return s.ExecContext(ctx, args...)
}

// query runs q through the statement cache.
func (db *DB) query(ctx context.Context, q string, args ...any) (*sql.Rows, error) {
	s, err := db.stmt(ctx, q)
	if err != nil {
		return nil, err
	}
	if s == nil {
		return db.db.QueryContext(ctx, q, args...)
	}
	return s.QueryContext(ctx, args...)
}

// queryRow runs q through the statement cache. A failed prepare surfaces
// from Scan, as with sql.DB.QueryRowContext.
func (db *DB) queryRow(ctx context.Context, q string, args ...any) *sql.Row {
	s, err := db.stmt(ctx, q)
	if err != nil || s == nil {
		return db.db.QueryRowContext(ctx, q, args...)
	}
	return s.QueryRowContext(ctx, args...)
}

// txStmt returns q's statement bound to tx. A statement warmed at Open
// is prepared on the transaction's connection once and reused by later
// transactions on it; any other is prepared for tx alone. Either is closed
// when tx ends. It never takes another connection, so it is safe inside a
// transaction on a one-connection (":memory:") database.
func (db *DB) txStmt(ctx context.Context, tx *sql.Tx, q string) (*sql.Stmt, error) {
	db.stmts.mu.Lock()
	s := db.stmts.m[q]
	db.stmts.mu.Unlock()
	if s == nil {
		return tx.PrepareContext(ctx, q)
	}
	return tx.StmtContext(ctx, s), nil
}

// warm prepares the statements transactions use, before any transaction
// holds a connection.
func (db *DB) warm(ctx context.Context, qs ...string) error {
	for _, q := range qs {
		if _, err := db.stmt(ctx, q); err != nil {
			return err
		}
	}
	return nil
}
