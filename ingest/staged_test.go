package ingest

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"sync/atomic"
	"testing"
	"time"

	"github.com/sitrep-bot/sitrep/feeds"
	"github.com/sitrep-bot/sitrep/store"
	"github.com/sitrep-bot/sitrep/store/sqlite"
)

// unstaged hides the store's ItemStager: PollAll stores each feed's
// items through the insert batcher.
type unstaged struct{ store.Store }

// failingCommit is a store whose staged inserts fail at Commit.
type failingCommit struct{ *sqlite.DB }

func (s failingCommit) StageItems(ctx context.Context, items []store.Item) (store.StagedInsert, error) {
	st, err := s.DB.StageItems(ctx, items)
	if err != nil {
		return nil, err
	}
	return failedCommit{st}, nil
}

// failingSetStories is a store whose staged inserts fail to set stories.
type failingSetStories struct{ *sqlite.DB }

func (s failingSetStories) StageItems(ctx context.Context, items []store.Item) (store.StagedInsert, error) {
	st, err := s.DB.StageItems(ctx, items)
	if err != nil {
		return nil, err
	}
	return failedSetStories{st}, nil
}

type failedSetStories struct{ store.StagedInsert }

func (failedSetStories) SetStories(context.Context, []string) error {
	return errors.New("disk I/O error")
}

// failingFeedStates is a store whose staged inserts fail to store the
// feeds' states.
type failingFeedStates struct{ *sqlite.DB }

func (s failingFeedStates) StageItems(ctx context.Context, items []store.Item) (store.StagedInsert, error) {
	st, err := s.DB.StageItems(ctx, items)
	if err != nil {
		return nil, err
	}
	return failedFeedStates{st}, nil
}

type failedFeedStates struct{ store.StagedInsert }

func (failedFeedStates) SaveFeedStates(context.Context, []store.Feed) error {
	return errors.New("disk I/O error")
}

type failedCommit struct{ store.StagedInsert }

func (f failedCommit) Commit(context.Context, []store.Item, []store.Story) ([]store.Item, error) {
	f.Abort()
	return nil, errors.New("disk I/O error")
}

// TestPollAllStagedInsert: a PollAll round whose items the store begins
// to write while their stories are assigned (store.ItemStager) stores
// and reports what a round storing each feed's items on its own does
// (items, stories, deliveries and the feeds' states), and so does a round
// whose staged insert fails at the end.
func TestPollAllStagedInsert(t *testing.T) {
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	item := itemsBefore(now)
	deal := dealText
	outlets := outletItems{
		"https://a.example/rss": {
			item("a1", "Iraq and Iran sign border security agreement in Baghdad", deal, 5),
			item("a2", "Drone strike kills two near Erbil", "A drone strike killed two people near Erbil in the Kurdistan Region on Monday, officials said.", 2),
			item("a3", "Old report of a curfew in Kirkuk", "A curfew was imposed in Kirkuk after clashes, officials said.", 40),
		},
		"https://b.example/rss": {
			item("b1", "Baghdad and Tehran sign security pact on shared border", deal, 6),
			item("b2", "Drone strike near Erbil kills two", "Two people were killed in a drone strike near Erbil on Monday, local officials said.", 1),
		},
		"https://c.example/rss": {
			item("c1", "Iran and Iraq agree joint border patrols in security deal", deal, 3),
		},
		"https://d.example/rss": nil, // modified, no items
	}
	round := func(wrap func(*sqlite.DB) store.Store) []string {
		t.Helper()
		ctx := context.Background()
		db := openStore(t)
		st := wrap(db)
		subscribe(t, db, store.Subscription{Platform: "fake", Channel: "all"})
		f := &scriptFetcher{results: map[string][]feeds.Result{}}
		var list []store.Feed
		for _, u := range slices.Sorted(maps.Keys(outlets)) {
			f.results[u] = []feeds.Result{{Items: outlets[u], ETag: `"` + u + `"`, TTL: time.Hour}}
			list = append(list, addFeed(t, db, store.Feed{URL: u, Name: u}))
		}
		p := newTestPipeline(t, st, f, func() time.Time { return now })
		var out []string
		for _, r := range p.PollAll(ctx, list, true, 2) {
			if r.Err != nil {
				t.Fatalf("poll %s: %v", r.Feed.URL, r.Err)
			}
			for _, it := range r.New {
				out = append(out, fmt.Sprintf("new %s|%s story %s summary %q", r.Feed.URL, it.Key, it.StoryID, it.Summary))
			}
		}
		stored, err := db.RecentItems(ctx, time.Time{})
		if err != nil {
			t.Fatal(err)
		}
		for _, it := range stored {
			out = append(out, fmt.Sprintf("stored %s|%s story %s summary %q", it.FeedName, it.Key, it.StoryID, it.Summary))
		}
		fs, err := db.Feeds(ctx)
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range fs {
			out = append(out, fmt.Sprintf("feed %s etag %s first %v success %v next %v failures %d error %q",
				f.URL, f.ETag, f.FirstFetched, f.LastSuccess, f.NextPoll, f.Failures, f.LastError))
		}
		for _, d := range deliveries(t, db, 100) {
			out = append(out, fmt.Sprintf("delivery %s %s %s story %s", d.Platform, d.Channel, d.Kind, d.StoryID))
		}
		slices.Sort(out)
		return out
	}
	want := round(func(db *sqlite.DB) store.Store { return unstaged{db} })
	if len(want) == 0 {
		t.Fatal("the round stored nothing")
	}
	for name, wrap := range map[string]func(*sqlite.DB) store.Store{
		"staged":               func(db *sqlite.DB) store.Store { return db },
		"staged, commit fails": func(db *sqlite.DB) store.Store { return failingCommit{db} },
		"staged, stories fail": func(db *sqlite.DB) store.Store { return failingSetStories{db} },
		"staged, states fail":  func(db *sqlite.DB) store.Store { return failingFeedStates{db} },
	} {
		if got := round(wrap); !slices.Equal(got, want) {
			t.Errorf("%s: the round stored or reported\n%s\nwant\n%s", name, got, want)
		}
	}
}

// countingSubs counts the store's Subscriptions reads.
type countingSubs struct {
	store.Store
	reads atomic.Int32
}

func (c *countingSubs) Subscriptions(ctx context.Context, platform string) ([]store.Subscription, error) {
	c.reads.Add(1)
	return c.Store.Subscriptions(ctx, platform)
}

// A PollAll round reads the subscriptions once for all its feeds, and the
// next round reads them again (a subscription made between rounds is
// served).
func TestPollAllReadsSubscriptionsOncePerRound(t *testing.T) {
	ctx := context.Background()
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	db := openStore(t)
	st := &countingSubs{Store: db}
	f := &scriptFetcher{results: map[string][]feeds.Result{}}
	var list []store.Feed
	for i := range 3 {
		u := fmt.Sprintf("https://%c.example/rss", 'a'+i)
		var rounds []feeds.Result
		for r := range 2 {
			key := fmt.Sprintf("%d-%d", i, r)
			rounds = append(rounds, feeds.Result{Items: []feeds.Item{{Key: key, Title: "Drone strike near Erbil " + key,
				Content: "A drone strike hit a convoy near Erbil, officials said.", Published: now.Add(-time.Hour)}}})
		}
		f.results[u] = rounds
		list = append(list, addFeed(t, db, store.Feed{URL: u, Name: u}))
	}
	p := newTestPipeline(t, st, f, func() time.Time { return now })
	for round := range 2 {
		if round == 1 {
			subscribe(t, db, store.Subscription{Platform: "fake", Channel: "all"})
		}
		st.reads.Store(0)
		for _, r := range p.PollAll(ctx, list, true, 3) {
			if r.Err != nil || len(r.New) != 1 {
				t.Fatalf("round %d, poll %s: %d new, %v", round, r.Feed.URL, len(r.New), r.Err)
			}
		}
		if n := st.reads.Load(); n != 1 {
			t.Errorf("round %d read the subscriptions %d times, want once", round, n)
		}
	}
	if got := deliveries(t, db, 100); len(got) == 0 {
		t.Error("the subscription made between rounds got no deliveries")
	}
}
