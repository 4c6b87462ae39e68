package sqlite

import (
	"context"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/sitrep-bot/sitrep/store/storetest"

	"github.com/sitrep-bot/sitrep/store"
)

// TestPoolBounded: 1,000 concurrent reads (the queries /metrics and the
// chat commands run) never open more than MaxOpenConns connections, and
// every one of them succeeds (waiting for a connection, not failing).
func TestPoolBounded(t *testing.T) {
	ctx := context.Background()
	db, err := Open(ctx, filepath.Join(t.TempDir(), "pool.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.UpsertFeed(ctx, store.Feed{URL: "https://a.example/rss", AddedBy: "config"}); err != nil {
		t.Fatal(err)
	}
	stopSampling := storetest.PeakConns(db, 100*time.Microsecond)
	const n = 1000
	var wg sync.WaitGroup
	var failed atomic.Int64
	start := make(chan struct{})
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			var err error
			switch i % 3 {
			case 0:
				_, err = db.Counts(ctx)
			case 1:
				_, err = db.Feeds(ctx)
			default:
				_, err = db.Deliveries(ctx, store.StatusPending, 10)
			}
			if err != nil {
				failed.Add(1)
			}
		}()
	}
	close(start)
	wg.Wait()
	peak := stopSampling()
	st := db.Stats()
	if st.MaxOpenConnections != MaxOpenConns {
		t.Errorf("MaxOpenConnections = %d, want %d", st.MaxOpenConnections, MaxOpenConns)
	}
	if p := peak; p > MaxOpenConns || st.OpenConnections > MaxOpenConns {
		t.Errorf("open connections peaked at %d (now %d), bound %d", p, st.OpenConnections, MaxOpenConns)
	}
	if f := failed.Load(); f > 0 {
		t.Errorf("%d of %d concurrent reads failed", f, n)
	}
	t.Logf("peak %d open, %d waits", peak, st.WaitCount)
}
