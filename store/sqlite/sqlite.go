// Package sqlite is sitrep's embedded store: SQLite through the pure-Go
// modernc.org/sqlite driver (no cgo), with FTS5 full-text search.
package sqlite

import (
	"context"
	"database/sql"
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"sort"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/sitrep-bot/sitrep/internal/groupcommit"
	"github.com/sitrep-bot/sitrep/store"
	_ "modernc.org/sqlite" // registers the "sqlite" driver
)

//go:embed migrations/*.sql
var migrations embed.FS

// DB is a SQLite-backed store.Store.
type DB struct {
	db    *sql.DB
	stmts stmtCache
	// wmu queues this process's hot writes in Go: SQLite makes a writer
	// that finds the database locked poll with growing sleeps (1, 2, 5,
	// 10 ms, ...), which idles a busy poll; a mutex hands over at once.
	// Other processes are still kept apart by SQLite's lock and busy_timeout.
	wmu sync.Mutex
	// group gathers concurrent small writes into shared transactions.
	group groupcommit.Queue[*groupReq]
	// single: the pool has one connection (":memory:"), so nothing may
	// hold it across other store calls (no staged inserts).
	single bool
	// ckpt runs WAL checkpoints off the writers' path; nil for ":memory:".
	ckpt *checkpointer
}

var _ store.Store = (*DB)(nil)

// Open opens (creating if needed) the SQLite database at path and applies
// pending migrations. path may be ":memory:" for a private in-memory
// database. Several processes may share one file: writes are serialised
// with immediate transactions and a busy timeout.
func Open(ctx context.Context, path string) (*DB, error) {
	dsn := dsnFor(path)
	sqldb, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, fmt.Errorf("sqlite: open %s: %w", path, err)
	}
	// Bound the pool: SQLite runs one writer at a time, so more
	// connections only add descriptors and memory (each holds its page
	// cache and prepared statements); callers beyond the bound wait for
	// a free connection instead of opening one each.
	sqldb.SetMaxOpenConns(MaxOpenConns)
	if path == ":memory:" {
		// Every connection to ":memory:" is a separate database: keep one.
		sqldb.SetMaxOpenConns(1)
	}
	// Keep the connections a busy poll uses open: a new connection costs
	// an open, the pragmas, a schema parse and re-preparing statements.
	sqldb.SetMaxIdleConns(maxIdleConns)
	db := &DB{db: sqldb, single: path == ":memory:"}
	if err := db.migrate(ctx); err != nil {
		sqldb.Close()
		return nil, err
	}
	if err := db.warm(ctx, txQueries...); err != nil {
		db.Close()
		return nil, fmt.Errorf("sqlite: open %s: prepare: %w", path, err)
	}
	if path != ":memory:" {
		db.startCheckpointer()
	}
	return db, nil
}

func dsnFor(path string) string {
	q := url.Values{}
	q.Add("_pragma", "busy_timeout(10000)")
	q.Add("_pragma", "foreign_keys(1)")
	q.Add("_txlock", "immediate")
	if path != ":memory:" {
		q.Add("_pragma", "journal_mode(WAL)")
		// NORMAL in WAL mode: a commit is durable against a crash of the
		// process (kill -9) at once, against a power cut once the next
		// checkpoint has synced the WAL; the database is never corrupted.
		q.Add("_pragma", "synchronous(NORMAL)")
		// Checkpoints run on a goroutine (checkpoint.go); SQLite's own
		// stays as a backstop.
		q.Add("_pragma", fmt.Sprintf("wal_autocheckpoint(%d)", backstopPages))
	}
	return "file:" + path + "?" + q.Encode()
}

// MaxOpenConns bounds the connections a DB opens, however many
// goroutines use it at once.
const MaxOpenConns = 16

// maxIdleConns is how many pooled connections stay open between uses.
const maxIdleConns = MaxOpenConns

// Stats reports the connection pool's state (open and in-use connections,
// waits), for tests and diagnostics.
func (db *DB) Stats() sql.DBStats { return db.db.Stats() }

// Close closes the database.
func (db *DB) Close() error {
	db.stopCheckpointer()
	db.closeStmts()
	return db.db.Close()
}

// Ping checks the database answers.
func (db *DB) Ping(ctx context.Context) error {
	if err := db.db.PingContext(ctx); err != nil {
		return fmt.Errorf("sqlite: ping: %w", err)
	}
	return nil
}

func (db *DB) migrate(ctx context.Context) error {
	names, err := fs.Glob(migrations, "migrations/*.sql")
	if err != nil {
		return fmt.Errorf("sqlite: migrate: %w", err)
	}
	sort.Strings(names)
	tx, err := db.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("sqlite: migrate: begin: %w", err)
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (name TEXT PRIMARY KEY, applied INTEGER NOT NULL)`); err != nil {
		return fmt.Errorf("sqlite: migrate: %w", err)
	}
	for _, name := range names {
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM schema_migrations WHERE name = ?`, name).Scan(&n); err != nil {
			return fmt.Errorf("sqlite: migrate %s: %w", name, err)
		}
		if n > 0 {
			continue
		}
		body, err := migrations.ReadFile(name)
		if err != nil {
			return fmt.Errorf("sqlite: migrate %s: %w", name, err)
		}
		if _, err := tx.ExecContext(ctx, string(body)); err != nil {
			return fmt.Errorf("sqlite: migrate %s: %w", name, err)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO schema_migrations (name, applied) VALUES (?, ?)`, name, toMicros(time.Now())); err != nil {
			return fmt.Errorf("sqlite: migrate %s: %w", name, err)
		}
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("sqlite: migrate: commit: %w", err)
	}
	return nil
}

// toMicros stores a time as Unix microseconds; the zero time is 0.
func toMicros(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.UnixMicro()
}

func fromMicros(v int64) time.Time {
	if v == 0 {
		return time.Time{}
	}
	return time.UnixMicro(v).UTC()
}

func toJSON(list []string) string {
	if len(list) == 0 {
		return "[]"
	}
	if s, ok := plainJSONArray(list); ok {
		return s
	}
	b, _ := json.Marshal(list)
	return string(b)
}

// plainJSONArray encodes list without encoding/json when every value is
// printable ASCII that JSON (as json.Marshal writes it) leaves unescaped,
// as region and topic slugs are; ok is false otherwise.
func plainJSONArray(list []string) (string, bool) {
	n := 1
	for _, v := range list {
		for i := 0; i < len(v); i++ {
			if c := v[i]; c < 0x20 || c > 0x7e || c == '"' || c == '\\' || c == '<' || c == '>' || c == '&' {
				return "", false
			}
		}
		n += len(v) + 3
	}
	var b strings.Builder
	b.Grow(n)
	b.WriteByte('[')
	for i, v := range list {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteByte('"')
		b.WriteString(v)
		b.WriteByte('"')
	}
	b.WriteByte(']')
	return b.String(), true
}

func fromJSON(s string) []string {
	var list []string
	if s == "" || s == "[]" {
		return nil
	}
	if list, ok := parsePlainJSONArray(s); ok {
		return list
	}
	if err := json.Unmarshal([]byte(s), &list); err != nil {
		return nil
	}
	return list
}

// parsePlainJSONArray decodes a compact array of strings without escapes
// (["a","b"], as toJSON and SQLite's json_group_array write slugs); ok is
// false for anything else, which encoding/json then decodes.
func parsePlainJSONArray(s string) ([]string, bool) {
	if len(s) < 4 || s[0] != '[' || s[len(s)-1] != ']' {
		return nil, false
	}
	body := s[1 : len(s)-1]
	if strings.ContainsAny(body, "\\ \t\r\n") {
		return nil, false
	}
	list := make([]string, 0, strings.Count(body, ",")+1)
	for body != "" {
		if len(body) < 2 || body[0] != '"' {
			return nil, false
		}
		end := strings.IndexByte(body[1:], '"')
		if end < 0 {
			return nil, false
		}
		v := body[1 : 1+end]
		if !utf8.ValidString(v) {
			return nil, false
		}
		list = append(list, v)
		body = body[end+2:]
		if body == "" {
			break
		}
		if body[0] != ',' || len(body) == 1 {
			return nil, false
		}
		body = body[1:]
	}
	return list, true
}

// placeholders returns "?,?,…" with n marks.
func placeholders(n int) string {
	return strings.TrimSuffix(strings.Repeat("?,", n), ",")
}

// ftsQuery turns user words into an FTS5 query where every word must match
// (as a prefix for the last word), quoting each so FTS syntax cannot leak in.
func ftsQuery(q string) string {
	var terms []string
	for _, w := range strings.FieldsFunc(q, func(r rune) bool {
		return !(r == '_' || r == '-' || r == '\'' || isWordRune(r))
	}) {
		w = strings.Trim(w, "-'")
		if w == "" {
			continue
		}
		terms = append(terms, `"`+strings.ReplaceAll(w, `"`, `""`)+`"`)
	}
	return strings.Join(terms, " ")
}

func isWordRune(r rune) bool {
	return r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r > 127
}

func wrap(op string, err error) error {
	if err == nil {
		return nil
	}
	if errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("sqlite: %s: %w", op, store.ErrNotFound)
	}
	if strings.Contains(err.Error(), "UNIQUE constraint failed") {
		return fmt.Errorf("sqlite: %s: %w: %v", op, store.ErrConflict, err)
	}
	return fmt.Errorf("sqlite: %s: %w", op, err)
}
