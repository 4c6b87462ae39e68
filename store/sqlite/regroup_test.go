package sqlite

import (
	"context"
	"database/sql"
	"io/fs"
	"path/filepath"
	"sort"
	"testing"

	"github.com/sitrep-bot/sitrep/store/storetest"
)

// TestStoryMergeMigrationOnExistingDatabase: a database made before story merges (migrations up
// to 007, with stories and items in it) opens, migrates, and merges its stories.
func TestStoryMergeMigrationOnExistingDatabase(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "old.db")
	raw, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	names, err := fs.Glob(migrations, "migrations/*.sql")
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(names)
	exec := func(q string, args ...any) {
		t.Helper()
		if _, err := raw.ExecContext(ctx, q, args...); err != nil {
			t.Fatalf("%.60s: %v", q, err)
		}
	}
	exec(`CREATE TABLE schema_migrations (name TEXT PRIMARY KEY, applied INTEGER NOT NULL)`)
	for _, name := range names {
		if name >= "migrations/008" {
			break
		}
		body, err := migrations.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		exec(string(body))
		exec(`INSERT INTO schema_migrations (name, applied) VALUES (?, 0)`, name)
	}
	exec(`INSERT INTO feeds (id, url) VALUES (1, 'https://a.example/rss')`)
	exec(`INSERT INTO stories (id, title, first_seen, last_seen) VALUES ('s1', 'One', 1, 1), ('s2', 'Two', 2, 2)`)
	exec(`INSERT INTO items (feed_id, key, title, published, story_id) VALUES (1, 'a', 'One', 1, 's1'), (1, 'b', 'Two', 2, 's2')`)
	if err := raw.Close(); err != nil {
		t.Fatal(err)
	}

	db, err := Open(ctx, path)
	if err != nil {
		t.Fatalf("Open of a database made before story merges: %v", err)
	}
	defer db.Close()
	storetest.MergeAfterMigration(t, db)
}
