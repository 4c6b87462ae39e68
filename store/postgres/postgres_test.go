package postgres_test

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net/url"
	"os"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/sitrep-bot/sitrep/store"
	"github.com/sitrep-bot/sitrep/store/postgres"
	"github.com/sitrep-bot/sitrep/store/storetest"
)

// testURL returns the server named by SITREP_TEST_POSTGRES, or skips.
func testURL(t testing.TB) string {
	t.Helper()
	u := os.Getenv("SITREP_TEST_POSTGRES")
	if u == "" {
		t.Skip("SITREP_TEST_POSTGRES not set (e.g. postgres://postgres@127.0.0.1:5432/test?sslmode=disable)")
	}
	return u
}

// freshSchema creates an empty schema, dropped when the test ends, and
// returns base with its search_path set to it.
func freshSchema(t testing.TB, base string) string {
	t.Helper()
	ctx := context.Background()
	b := make([]byte, 6)
	if _, err := rand.Read(b); err != nil {
		t.Fatal(err)
	}
	schema := "sitrep_test_" + hex.EncodeToString(b)
	admin, err := pgx.Connect(ctx, base)
	if err != nil {
		t.Fatalf("connect %s: %v", base, err)
	}
	defer admin.Close(ctx)
	if _, err := admin.Exec(ctx, "CREATE SCHEMA "+schema); err != nil {
		t.Fatalf("create schema: %v", err)
	}
	t.Cleanup(func() {
		c, err := pgx.Connect(ctx, base)
		if err != nil {
			t.Errorf("drop schema %s: %v", schema, err)
			return
		}
		defer c.Close(ctx)
		if _, err := c.Exec(ctx, "DROP SCHEMA "+schema+" CASCADE"); err != nil {
			t.Errorf("drop schema %s: %v", schema, err)
		}
	})
	u, err := url.Parse(base)
	if err != nil {
		t.Fatalf("parse %s: %v", base, err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	q.Set("synchronous_commit", "off") // throwaway data: do not wait for fsync
	u.RawQuery = q.Encode()
	return u.String()
}

// open opens a store on a fresh schema, closed before the schema is dropped.
func open(t testing.TB) *postgres.DB {
	t.Helper()
	db, err := postgres.Open(context.Background(), freshSchema(t, testURL(t)))
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() { _ = db.Close() })
	return db
}

func TestStore(t *testing.T) {
	storetest.Run(t, func(t *testing.T) store.Store { return open(t) })
}

// TestMigrateConcurrently opens several stores on one schema at once, as
// replicas starting together do: each migration is applied exactly once.
func TestMigrateConcurrently(t *testing.T) {
	dsn := freshSchema(t, testURL(t))
	ctx := context.Background()
	const replicas = 5
	errs := make(chan error, replicas)
	for range replicas {
		go func() {
			db, err := postgres.Open(ctx, dsn)
			if err == nil {
				err = db.Ping(ctx)
				_ = db.Close()
			}
			errs <- err
		}()
	}
	for range replicas {
		if err := <-errs; err != nil {
			t.Errorf("Open: %v", err)
		}
	}
	c, err := pgx.Connect(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close(ctx)
	var n, distinct int
	if err := c.QueryRow(ctx, `SELECT count(*), count(DISTINCT version) FROM schema_migrations`).Scan(&n, &distinct); err != nil {
		t.Fatal(err)
	}
	if n == 0 || n != distinct {
		t.Errorf("schema_migrations has %d rows, %d distinct; want each migration once", n, distinct)
	}
}
