package postgres_test

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net/url"
	"os"
	"sync"
	"testing"
	"time"

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
	testURL(t)
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

// TestTwoReplicas runs two stores (two pools, as two processes would) on one
// schema: each delivery and each feed poll goes to exactly one of them.
func TestTwoReplicas(t *testing.T) {
	dsn := freshSchema(t, testURL(t))
	ctx := context.Background()
	var dbs [2]*postgres.DB
	for i := range dbs {
		db, err := postgres.Open(ctx, dsn)
		if err != nil {
			t.Fatalf("Open replica %d: %v", i, err)
		}
		t.Cleanup(func() { _ = db.Close() })
		dbs[i] = db
	}
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	const n = 200
	ds := make([]store.Delivery, n)
	for i := range ds {
		ds[i] = store.Delivery{Platform: "slack", Channel: "C1", Kind: store.KindReply, Created: now}
	}
	if err := dbs[0].Enqueue(ctx, ds); err != nil {
		t.Fatal(err)
	}
	f, err := dbs[1].UpsertFeed(ctx, store.Feed{URL: "https://a.example/rss", Name: "A"})
	if err != nil {
		t.Fatal(err)
	}

	var (
		mu      sync.Mutex
		claimed = map[int64]int{}
		polls   int
		wg      sync.WaitGroup
	)
	for r, db := range dbs {
		for w := range 4 {
			owner := fmt.Sprintf("replica%d-worker%d", r, w)
			wg.Go(func() {
				if ok, err := db.ClaimFeedPoll(ctx, f.ID, owner, now, now.Add(time.Minute)); err != nil {
					t.Errorf("ClaimFeedPoll: %v", err)
				} else if ok {
					mu.Lock()
					polls++
					mu.Unlock()
				}
				for range n {
					got, err := db.ClaimDeliveries(ctx, owner, now, time.Minute, 7)
					if err != nil {
						t.Errorf("ClaimDeliveries: %v", err)
						return
					}
					if len(got) == 0 {
						return
					}
					for _, d := range got {
						if err := db.MarkSent(ctx, d.ID, owner, "ref", now, nil); err != nil {
							t.Errorf("MarkSent(%d): %v", d.ID, err)
						}
					}
					mu.Lock()
					for _, d := range got {
						claimed[d.ID]++
					}
					mu.Unlock()
				}
			})
		}
	}
	wg.Wait()
	if polls != 1 {
		t.Errorf("%d workers on two replicas claimed the poll, want 1", polls)
	}
	if len(claimed) != n {
		t.Errorf("%d of %d deliveries claimed", len(claimed), n)
	}
	for id, c := range claimed {
		if c != 1 {
			t.Errorf("delivery %d claimed %d times", id, c)
		}
	}
	sent, err := dbs[0].Deliveries(ctx, store.StatusSent, 1000)
	if err != nil {
		t.Fatal(err)
	}
	if len(sent) != n {
		t.Errorf("%d deliveries sent, want %d", len(sent), n)
	}
}
