package storetest

import (
	"context"
	"testing"
	"time"

	"github.com/sitrep-bot/sitrep/store"
)

// testCounts: Counts agrees with what Feeds and Deliveries list, ignores
// deleted feeds, and follows deliveries as they fail or are sent.
func testCounts(t *testing.T, open func(t *testing.T) store.Store) {
	ctx := context.Background()
	s := open(t)
	c, err := s.Counts(ctx)
	must(t, "Counts(empty)", err)
	if c != (store.Counts{}) {
		t.Fatalf("Counts of an empty store = %+v, want zeros", c)
	}
	a := addFeed(t, s, "https://a.example/rss", "A")
	addFeed(t, s, "https://b.example/rss", "B")
	gone := addFeed(t, s, "https://c.example/rss", "C")
	a.Failures, a.LastError, a.LastErrorAt = 3, "status 500", t0
	must(t, "SaveFeedState", s.SaveFeedState(ctx, a))
	gone.Failures = 1
	must(t, "SaveFeedState", s.SaveFeedState(ctx, gone))
	must(t, "DeleteFeed", s.DeleteFeed(ctx, gone.URL))
	for i, story := range []string{"s1", "s2", "s3", "s4"} {
		enqueueOne(t, s, post("C1", story, t0.Add(time.Duration(i)*time.Second)))
	}
	ds := claim(t, s, "w1", t0.Add(time.Minute), 2)
	if len(ds) != 2 {
		t.Fatalf("claimed %d deliveries, want 2", len(ds))
	}
	must(t, "MarkFailed", s.MarkFailed(ctx, ds[0].ID, "w1", "channel_not_found"))
	must(t, "MarkSent", s.MarkSent(ctx, ds[1].ID, "w1", "ref-1", t0.Add(time.Minute), nil))

	c, err = s.Counts(ctx)
	must(t, "Counts", err)
	want := store.Counts{Feeds: 2, FeedsFailing: 1, Pending: 2, Failed: 1}
	if c != want {
		t.Errorf("Counts = %+v, want %+v", c, want)
	}
	pending, err := s.Deliveries(ctx, store.StatusPending, 100)
	must(t, "Deliveries(pending)", err)
	feeds, err := s.Feeds(ctx)
	must(t, "Feeds", err)
	if len(pending) != c.Pending || len(feeds) != c.Feeds {
		t.Errorf("Counts %+v disagree with the lists: %d pending, %d feeds", c, len(pending), len(feeds))
	}
}
