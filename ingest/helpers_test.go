package ingest

import (
	"context"
	"io"
	"log/slog"
	"path/filepath"
	"testing"
	"time"

	"github.com/sitrep-bot/sitrep/feeds"
	"github.com/sitrep-bot/sitrep/store"
	"github.com/sitrep-bot/sitrep/store/sqlite"
)

func openStore(t *testing.T) *sqlite.DB {
	t.Helper()
	st, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "d.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

func quietLog() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

// addFeed stores a feed and fails the test on error.
func addFeed(t *testing.T, st store.Store, f store.Feed) store.Feed {
	t.Helper()
	got, err := st.UpsertFeed(context.Background(), f)
	if err != nil {
		t.Fatalf("UpsertFeed(%s): %v", f.URL, err)
	}
	return got
}

// subscribe stores a subscription and fails the test on error.
func subscribe(t *testing.T, st store.Store, s store.Subscription) {
	t.Helper()
	if _, err := st.Subscribe(context.Background(), s); err != nil {
		t.Fatalf("Subscribe(%s): %v", s.Channel, err)
	}
}

// feedAt reads the stored feed at url and fails the test on error.
func feedAt(t *testing.T, st store.Store, url string) store.Feed {
	t.Helper()
	f, err := st.Feed(context.Background(), url)
	if err != nil {
		t.Fatalf("Feed(%s): %v", url, err)
	}
	return f
}

// deliveries lists up to n deliveries of any status and fails the test on error.
func deliveries(t *testing.T, st store.Store, n int) []store.Delivery {
	t.Helper()
	ds, err := st.Deliveries(context.Background(), "", n)
	if err != nil {
		t.Fatalf("Deliveries: %v", err)
	}
	return ds
}

// itemsBefore returns dealItem with now fixed: a maker of feed items published hoursAgo hours
// before now.
func itemsBefore(now time.Time) func(key, title, text string, hoursAgo int) feeds.Item {
	return func(key, title, text string, hoursAgo int) feeds.Item {
		return dealItem(key, title, text, now, hoursAgo)
	}
}
