package sqlite

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/sitrep-bot/sitrep/store"
	"github.com/sitrep-bot/sitrep/store/storetest"
)

func TestStore(t *testing.T) {
	storetest.Run(t, func(t *testing.T) store.Store {
		db, err := Open(context.Background(), filepath.Join(t.TempDir(), "sitrep.db"))
		if err != nil {
			t.Fatalf("Open: %v", err)
		}
		t.Cleanup(func() { db.Close() })
		return db
	})
}

func TestMigrationsRunOnce(t *testing.T) {
	path := filepath.Join(t.TempDir(), "sitrep.db")
	for i := 0; i < 2; i++ {
		db, err := Open(context.Background(), path)
		if err != nil {
			t.Fatalf("Open #%d: %v", i+1, err)
		}
		if err := db.Ping(context.Background()); err != nil {
			t.Fatalf("Ping: %v", err)
		}
		db.Close()
	}
}

// TestStoreInMemory runs the conformance suite on a one-connection
// ":memory:" database, where a transaction must never wait for a second
// connection (for instance to prepare a cached statement).
func TestStoreInMemory(t *testing.T) {
	storetest.Run(t, func(t *testing.T) store.Store {
		db, err := Open(context.Background(), ":memory:")
		if err != nil {
			t.Fatalf("Open: %v", err)
		}
		t.Cleanup(func() { db.Close() })
		return db
	})
}

// TestStatementCacheOnOneConnection: with a single connection (":memory:"),
// preparing a query for the cache must not hold the cache's lock while it
// waits for the connection, because the transaction holding the connection
// needs that lock to fetch its own statements.
func TestStatementCacheOnOneConnection(t *testing.T) {
	ctx := context.Background()
	db, err := Open(ctx, ":memory:")
	if err != nil {
		t.Fatal(err)
	}
	tx, err := db.db.BeginTx(ctx, nil) // the only connection is now taken
	if err != nil {
		t.Fatal(err)
	}
	waiting := make(chan struct{})
	prepared := make(chan error, 1)
	go func() {
		close(waiting)
		_, err := db.stmt(ctx, "SELECT 42") // not cached yet: waits for the connection
		prepared <- err
	}()
	<-waiting
	time.Sleep(50 * time.Millisecond)
	finished := make(chan error, 1)
	go func() {
		_, err := db.txStmt(ctx, tx, "SELECT 1")
		if rerr := tx.Rollback(); rerr != nil {
			t.Error(rerr)
		}
		finished <- err
	}()
	select {
	case err := <-finished:
		if err != nil {
			t.Fatal(err)
		}
		if err := <-prepared; err != nil {
			t.Fatalf("prepare after the transaction: %v", err)
		}
		db.Close() // (on a deadlock Close would hang too)
	case <-time.After(5 * time.Second):
		t.Fatal("transaction blocked on the statement cache while a prepare waited for its connection")
	}
}

// stagedInserts is a store whose InsertItems stages the items (without
// their deliveries, their stories guessed right, wrong or not at all),
// sets stories early (the right one for every other item, another for the
// rest: Commit must set those again), then commits them with their
// stories and deliveries.
type stagedInserts struct{ *DB }

func (s stagedInserts) InsertItems(ctx context.Context, items []store.Item, stories []store.Story) ([]store.Item, error) {
	bare := make([]store.Item, len(items))
	early := make([]string, len(items))
	for i, it := range items {
		early[i] = it.StoryID
		if i%2 == 1 {
			early[i] = "early-" + it.StoryID
		}
		switch i % 3 {
		case 1:
			it.StoryID = "guess-" + it.StoryID
		case 2:
			it.StoryID = ""
		}
		it.Deliveries = nil
		bare[i] = it
	}
	st, err := s.StageItems(ctx, bare)
	if err != nil {
		return nil, err
	}
	if err := st.SetStories(ctx, early); err != nil {
		st.Abort()
		return nil, err
	}
	return st.Commit(ctx, items, stories)
}

// TestStoreStagedInserts runs the conformance suite with every insert
// staged, then committed: a staged insert stores what InsertItems does.
func TestStoreStagedInserts(t *testing.T) {
	storetest.Run(t, func(t *testing.T) store.Store {
		db, err := Open(context.Background(), filepath.Join(t.TempDir(), "sitrep.db"))
		if err != nil {
			t.Fatalf("Open: %v", err)
		}
		t.Cleanup(func() { db.Close() })
		return stagedInserts{db}
	})
}

// A staged insert is not visible before Commit, is searchable right after
// it, stores nothing when aborted or given other items than it staged, and
// lets the store write again once it has ended.
func TestStagedInsert(t *testing.T) {
	ctx := context.Background()
	db, feed := openWithFeed(ctx, t)
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	item := func(key, title string) store.Item {
		return store.Item{FeedID: feed.ID, Key: key, Title: title, Text: title + ", officials said.", Published: now, Fetched: now}
	}
	search := func(q string) int {
		t.Helper()
		got, err := db.Items(ctx, store.ItemFilter{Query: q, Limit: 10})
		if err != nil {
			t.Fatal(err)
		}
		return len(got)
	}
	withStory := func(items []store.Item, story string) []store.Item {
		out := make([]store.Item, len(items))
		for i, it := range items {
			it.StoryID = story
			out[i] = it
		}
		return out
	}
	story := store.Story{ID: "s1", Title: "Drone strike near Erbil", FirstSeen: now, LastSeen: now}

	// Given up: nothing stored, and the store writes again.
	items := []store.Item{item("a", "Drone strike near Erbil"), item("b", "Drones strike a convoy near Erbil")}
	st, err := db.StageItems(ctx, items)
	if err != nil {
		t.Fatal(err)
	}
	if n := search("erbil"); n != 0 {
		t.Errorf("before Commit, a search finds %d staged items", n)
	}
	st.Abort()
	st.Abort() // a second Abort does nothing
	if n := search("erbil"); n != 0 {
		t.Errorf("after Abort, a search finds %d items", n)
	}

	// Other items than staged: an error, nothing stored.
	st, err = db.StageItems(ctx, items)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.Commit(ctx, withStory(items[:1], "s1"), []store.Story{story}); err == nil {
		t.Error("Commit of other items than staged: no error")
	}
	if n := search("erbil"); n != 0 {
		t.Errorf("after a failed Commit, a search finds %d items", n)
	}

	// Stories set early, then given up: nothing stored.
	st, err = db.StageItems(ctx, items)
	if err != nil {
		t.Fatal(err)
	}
	if err := st.SetStories(ctx, []string{"s1"}); err == nil {
		t.Error("SetStories with fewer stories than items: no error")
	}
	if err := st.SetStories(ctx, []string{"s1", "s1"}); err != nil {
		t.Fatal(err)
	}
	st.Abort()
	if err := st.SetStories(ctx, []string{"s1", "s1"}); err == nil {
		t.Error("SetStories after Abort: no error")
	}
	if got, err := db.Items(ctx, store.ItemFilter{StoryID: "s1"}); err != nil || len(got) != 0 {
		t.Errorf("after Abort, story s1 has %d items, %v", len(got), err)
	}

	// Committed: stored with their story, searchable, new once.
	st, err = db.StageItems(ctx, items)
	if err != nil {
		t.Fatal(err)
	}
	fresh, err := st.Commit(ctx, withStory(items, "s1"), []store.Story{story})
	if err != nil || len(fresh) != 2 || fresh[0].ID == 0 || fresh[1].StoryID != "s1" {
		t.Fatalf("Commit = %+v, %v; want both items new, with ids and story s1", fresh, err)
	}
	if _, err := st.Commit(ctx, withStory(items, "s1"), nil); err == nil {
		t.Error("a second Commit: no error")
	}
	st.Abort() // after Commit: nothing to do
	if n := search("drone"); n != 2 {
		t.Errorf("after Commit, a search for drone finds %d items, want 2", n)
	}
	if s, err := db.Story(ctx, "s1"); err != nil || s.Items != 2 {
		t.Errorf("story s1 = %+v, %v; want 2 items", s, err)
	}
	again := append(items, item("c", "Curfew imposed in Kirkuk"))
	st, err = db.StageItems(ctx, again)
	if err != nil {
		t.Fatal(err)
	}
	fresh, err = st.Commit(ctx, withStory(again, "s2"), []store.Story{{ID: "s2", Title: "Curfew imposed in Kirkuk", FirstSeen: now, LastSeen: now}})
	if err != nil || len(fresh) != 1 || fresh[0].Key != "c" {
		t.Fatalf("staging stored keys again: Commit = %+v, %v; want only c new", fresh, err)
	}
	if got, err := db.Items(ctx, store.ItemFilter{StoryID: "s1"}); err != nil || len(got) != 2 {
		t.Errorf("story s1 after a second insert naming its items: %d items, %v; want 2", len(got), err)
	}
}

// The feeds' states given to a staged insert (SaveFeedStates) are stored
// with its items, and their poll leases released, if and only if it
// commits; a state for a feed not stored is ErrNotFound and leaves none of
// the states given with it.
func TestStagedFeedStates(t *testing.T) {
	ctx := context.Background()
	db, err := Open(ctx, filepath.Join(t.TempDir(), "sitrep.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	var list []store.Feed
	for _, u := range []string{"https://a.example/rss", "https://b.example/rss"} {
		f, err := db.UpsertFeed(ctx, store.Feed{URL: u})
		if err != nil {
			t.Fatal(err)
		}
		if ok, err := db.ClaimFeedPoll(ctx, f.ID, "replica-1", now, now.Add(time.Hour)); err != nil || !ok {
			t.Fatalf("claim %s = %v, %v", u, ok, err)
		}
		list = append(list, f)
	}
	items := []store.Item{{FeedID: list[0].ID, Key: "a", Title: "Drone strike near Erbil", Published: now, Fetched: now, StoryID: "s1"}}
	story := []store.Story{{ID: "s1", Title: "Drone strike near Erbil", FirstSeen: now, LastSeen: now}}
	polled := make([]store.Feed, len(list))
	for i, f := range list {
		f.ETag, f.FirstFetched, f.LastSuccess, f.NextPoll = fmt.Sprintf(`"e%d"`, i), now, now, now
		polled[i] = f
	}
	// state reads the feeds' etags, in id order.
	state := func() string {
		t.Helper()
		fs, err := db.Feeds(ctx)
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, f := range fs {
			out = append(out, f.ETag)
		}
		return strings.Join(out, ",")
	}
	stage := func() store.StagedInsert {
		t.Helper()
		st, err := db.StageItems(ctx, items)
		if err != nil {
			t.Fatal(err)
		}
		return st
	}

	// Given up: no state stored.
	st := stage()
	if err := st.SaveFeedStates(ctx, polled); err != nil {
		t.Fatal(err)
	}
	st.Abort()
	if got := state(); got != "," {
		t.Errorf("after Abort, the feeds' etags are %q, want none", got)
	}
	if err := st.SaveFeedStates(ctx, polled); err == nil {
		t.Error("SaveFeedStates after Abort: no error")
	}

	// A feed not stored: ErrNotFound, none of the states stored; the
	// insert still commits.
	st = stage()
	if err := st.SaveFeedStates(ctx, append(polled[:1:1], store.Feed{ID: 9999, ETag: "x"})); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("SaveFeedStates of a feed not stored = %v, want store.ErrNotFound", err)
	}
	if _, err := st.Commit(ctx, items, story); err != nil {
		t.Fatal(err)
	}
	if got := state(); got != "," {
		t.Errorf("after a failed SaveFeedStates, the feeds' etags are %q, want none", got)
	}
	if ok, err := db.ClaimFeedPoll(ctx, list[0].ID, "replica-2", now, now.Add(time.Hour)); err != nil || ok {
		t.Fatalf("a claim after the failed SaveFeedStates = %v, %v; want the lease still held", ok, err)
	}

	// Committed: stored, leases released.
	items[0].Key = "b"
	st = stage()
	if err := st.SaveFeedStates(ctx, polled); err != nil {
		t.Fatal(err)
	}
	if _, err := st.Commit(ctx, items, story); err != nil {
		t.Fatal(err)
	}
	if got, want := state(), `"e0","e1"`; got != want {
		t.Errorf("after Commit, the feeds' etags are %q, want %q", got, want)
	}
	for _, f := range list {
		if ok, err := db.ClaimFeedPoll(ctx, f.ID, "replica-2", now, now.Add(time.Hour)); err != nil || !ok {
			t.Errorf("claim of feed %d after the commit = %v, %v; want its lease released", f.ID, ok, err)
		}
	}
}

// One connection (":memory:") cannot hold a staged insert while its
// caller reads: StageItems says it is unsupported.
func TestStagedInsertOneConnection(t *testing.T) {
	ctx := context.Background()
	db, err := Open(ctx, ":memory:")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.StageItems(ctx, nil); !errors.Is(err, errors.ErrUnsupported) {
		t.Errorf("StageItems on :memory: = %v, want errors.ErrUnsupported", err)
	}
}

// openWithFeed opens a store in a temporary file, closed when the test ends, holding one feed.
func openWithFeed(ctx context.Context, t *testing.T) (*DB, store.Feed) {
	t.Helper()
	db, err := Open(ctx, filepath.Join(t.TempDir(), "sitrep.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	feed, err := db.UpsertFeed(ctx, store.Feed{URL: "https://a.example/rss"})
	if err != nil {
		t.Fatal(err)
	}
	return db, feed
}
