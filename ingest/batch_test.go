package ingest

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/sitrep-bot/sitrep/store"
)

// countingInserter wraps a store and counts InsertItems calls.
type countingInserter struct {
	st    store.Store
	calls atomic.Int32
}

func (c *countingInserter) InsertItems(ctx context.Context, items []store.Item, stories []store.Story) ([]store.Item, error) {
	c.calls.Add(1)
	return c.st.InsertItems(ctx, items, stories)
}

func TestInsertBatcherRoutesNewItemsToTheirCallers(t *testing.T) {
	ctx := context.Background()
	st := openStore(t)
	const feeds, perFeed = 12, 5
	var ids []int64
	for i := 0; i < feeds; i++ {
		f, err := st.UpsertFeed(ctx, store.Feed{URL: fmt.Sprintf("https://f%d.example/rss", i)})
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, f.ID)
	}
	ci := &countingInserter{st: st}
	b := &insertBatcher{st: ci}
	// Feed 0's first item is already stored: it must not come back as new.
	if _, err := st.InsertItems(ctx, []store.Item{{FeedID: ids[0], Key: "k0", StoryID: "s"}}, nil); err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	got := make([][]store.Item, feeds)
	errs := make([]error, feeds)
	for i := 0; i < feeds; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var items []store.Item
			for k := 0; k < perFeed; k++ {
				// The same keys in every feed: routing must use the feed too.
				items = append(items, store.Item{FeedID: ids[i], Key: fmt.Sprintf("k%d", k), StoryID: fmt.Sprintf("s%d", k)})
			}
			got[i], errs[i] = b.insert(ctx, items, []store.Story{{ID: "s0", Title: "shared story"}})
		}()
	}
	wg.Wait()
	for i := 0; i < feeds; i++ {
		if errs[i] != nil {
			t.Fatalf("feed %d: %v", i, errs[i])
		}
		want := perFeed
		if i == 0 {
			want = perFeed - 1
		}
		if len(got[i]) != want {
			t.Errorf("feed %d got %d new items, want %d", i, len(got[i]), want)
		}
		for _, it := range got[i] {
			if it.FeedID != ids[i] || it.ID == 0 {
				t.Errorf("feed %d got item %+v of another feed or without id", i, it)
			}
		}
	}
	if n := ci.calls.Load(); n > feeds {
		t.Errorf("%d InsertItems calls for %d callers", n, feeds)
	}
	t.Logf("%d callers grouped into %d transactions", feeds, ci.calls.Load())
}

// pickyInserter fails any insert that contains the key "bad".
type pickyInserter struct{ st store.Store }

func (p pickyInserter) InsertItems(ctx context.Context, items []store.Item, stories []store.Story) ([]store.Item, error) {
	for _, it := range items {
		if it.Key == "bad" {
			return nil, fmt.Errorf("insert: refused")
		}
	}
	return p.st.InsertItems(ctx, items, stories)
}

func TestInsertBatcherIsolatesAFailingRequest(t *testing.T) {
	ctx := context.Background()
	st := openStore(t)
	f1 := addFeed(t, st, store.Feed{URL: "https://one.example/rss"})
	f2 := addFeed(t, st, store.Feed{URL: "https://two.example/rss"})
	b := &insertBatcher{st: pickyInserter{st}}
	good := &insertReq{ctx: ctx, items: []store.Item{{FeedID: f1.ID, Key: "ok"}}, done: make(chan struct{})}
	bad := &insertReq{ctx: ctx, items: []store.Item{{FeedID: f2.ID, Key: "bad"}}, done: make(chan struct{})}
	b.flush([]*insertReq{good, bad})
	if good.err != nil || len(good.fresh) != 1 {
		t.Errorf("good request: %d new, err %v; want its item stored despite the other's failure", len(good.fresh), good.err)
	}
	if bad.err == nil {
		t.Errorf("bad request: no error")
	}
}
