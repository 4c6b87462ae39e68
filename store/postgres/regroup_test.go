package postgres_test

import (
	"context"
	"os"
	"path/filepath"
	"sort"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/sitrep-bot/sitrep/store/postgres"
	"github.com/sitrep-bot/sitrep/store/storetest"
)

// TestStoryMergeMigrationOnExistingDatabase: a database made before story merges (migrations up
// to 008, with stories and items in it) opens, migrates, and merges its stories.
func TestStoryMergeMigrationOnExistingDatabase(t *testing.T) {
	ctx := context.Background()
	dsn := freshSchema(t, testURL(t))
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	names, err := filepath.Glob(filepath.Join("migrations", "*.sql"))
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(names)
	exec := func(q string, args ...any) {
		t.Helper()
		if _, err := conn.Exec(ctx, q, args...); err != nil {
			t.Fatalf("%.60s: %v", q, err)
		}
	}
	exec(`CREATE TABLE schema_migrations (version text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())`)
	for _, name := range names {
		if filepath.Base(name) >= "009" {
			break
		}
		body, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		exec(string(body))
		exec(`INSERT INTO schema_migrations (version) VALUES ($1)`, filepath.Base(name))
	}
	exec(`INSERT INTO feeds (id, url) VALUES (1, 'https://a.example/rss')`)
	exec(`INSERT INTO stories (id, title, first_seen, last_seen) VALUES ('s1', 'One', '2026-03-01T10:00:00Z', '2026-03-01T10:00:00Z'),
		('s2', 'Two', '2026-03-01T11:00:00Z', '2026-03-01T11:00:00Z')`)
	exec(`INSERT INTO items (feed_id, key, title, published, story_id) VALUES (1, 'a', 'One', '2026-03-01T10:00:00Z', 's1'),
		(1, 'b', 'Two', '2026-03-01T11:00:00Z', 's2')`)
	if err := conn.Close(ctx); err != nil {
		t.Fatal(err)
	}

	db, err := postgres.Open(ctx, dsn)
	if err != nil {
		t.Fatalf("Open of a database made before story merges: %v", err)
	}
	defer db.Close()
	storetest.MergeAfterMigration(t, db)
}
