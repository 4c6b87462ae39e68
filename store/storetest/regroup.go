package storetest

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/sitrep-bot/sitrep/store"
)

// testRegroup checks store.Regroup as InsertItems applies it: merges keep
// one thread per channel and never post again, moves split a story, and
// merged ids stand for the story they were merged into.
func testRegroup(t *testing.T, open func(t *testing.T) store.Store) {
	ctx := context.Background()

	t.Run("Merge", func(t *testing.T) {
		s := open(t)
		f := addFeed(t, s, "https://a.example/rss", "A")
		item := func(key, sid string, pub time.Time, channels ...string) store.Item {
			it := newItem(f, key, sid, pub)
			for _, ch := range channels {
				it.Deliveries = append(it.Deliveries, post(ch, sid, t0))
			}
			return it
		}
		// s1 is posted in C1; s2 in C2, and waits for its post in C1 and C3.
		insert(t, s, []store.Item{item("a1", "s1", t0, "C1")}, newStory("s1", t0))
		for _, d := range claim(t, s, "w", t0, 10) {
			must(t, "MarkSent", s.MarkSent(ctx, d.ID, "w", "ref-s1-"+d.Channel, t0, []string{"s1"}))
		}
		insert(t, s, []store.Item{item("b1", "s2", t0.Add(-time.Hour), "C1", "C2", "C3")}, newStory("s2", t0.Add(-time.Hour)))
		for _, d := range claim(t, s, "w", t0, 10) {
			if d.Channel == "C2" {
				must(t, "MarkSent", s.MarkSent(ctx, d.ID, "w", "ref-s2-C2", t0, []string{"s2"}))
			} else {
				must(t, "MarkRetry", s.MarkRetry(ctx, d.ID, "w", t0, "later"))
			}
		}
		// The merge comes with a new report that names the merged-away id
		// (another replica had not heard of the merge yet).
		fresh := insert(t, s, []store.Item{item("c1", "s2", t0.Add(time.Hour), "C2")},
			store.Story{ID: "s1", MergedFrom: []string{"s2"}}, newStory("s2", t0.Add(time.Hour)))
		if len(fresh) != 1 || fresh[0].StoryID != "s1" {
			t.Fatalf("InsertItems of a report of a merged-away story = %+v, want it in s1", fresh)
		}
		for _, id := range []string{"s1", "s2"} {
			st, err := s.Story(ctx, id)
			must(t, "Story", err)
			if st.ID != "s1" || st.Items != 3 || st.Title != "Title b1" || !sameTime(st.FirstSeen, t0.Add(-time.Hour)) ||
				!sameTime(st.LastSeen, t0.Add(time.Hour)) {
				t.Errorf("Story(%s) = %+v, want s1 with 3 items, titled by its first report b1, seen from b1 to c1", id, st)
			}
			items, err := s.Items(ctx, store.ItemFilter{StoryID: id})
			must(t, "Items", err)
			if got := keysOf(items); !sameSet(got, []string{"a1", "b1", "c1"}) {
				t.Errorf("Items(StoryID %s) = %v, want a1 b1 c1", id, got)
			}
			for _, it := range items {
				if it.StoryID != "s1" {
					t.Errorf("item %s is in story %s, want s1", it.Key, it.StoryID)
				}
			}
		}
		all, err := s.Stories(ctx, store.StoryFilter{})
		must(t, "Stories", err)
		if got := idsOf(all); !slices.Equal(got, []string{"s1"}) {
			t.Errorf("Stories() = %v, want only s1", got)
		}
		for ch, want := range map[string]string{"C1": "ref-s1-C1", "C2": "ref-s2-C2", "C3": ""} {
			ref, err := s.RootRef(ctx, "slack", ch, "s1")
			must(t, "RootRef", err)
			if ref != want {
				t.Errorf("RootRef(%s, s1) = %q, want %q", ch, ref, want)
			}
		}
		// C1 has s1's root: b1's post there is an update now. C3 had only
		// s2's pending post: it posts s1. C2 has s2's thread: c1 is an
		// update in it. Nothing is posted twice.
		type key struct{ channel, kind, story, status string }
		var got []key
		for _, d := range allDeliveries(t, s) {
			got = append(got, key{d.Channel, d.Kind, d.StoryID, d.Status})
		}
		want := []key{
			{"C1", store.KindPost, "s1", store.StatusSent},
			{"C1", store.KindUpdate, "s1", store.StatusPending},
			{"C2", store.KindPost, "s2", store.StatusSent},
			{"C3", store.KindPost, "s1", store.StatusPending},
			{"C2", store.KindUpdate, "s1", store.StatusPending},
		}
		for _, w := range want {
			if !slices.Contains(got, w) {
				t.Errorf("deliveries %v lack %v", got, w)
			}
		}
		if len(got) != len(want) {
			t.Errorf("deliveries = %v, want %v", got, want)
		}
	})

	t.Run("MarkSentAfterMerge", func(t *testing.T) {
		// A post the deliverer built (and leased) before its story was
		// merged roots the story it was merged into as well.
		s := open(t)
		f := addFeed(t, s, "https://a.example/rss", "A")
		a, b := newItem(f, "a", "s8", t0), newItem(f, "b", "s9", t0)
		b.Deliveries = []store.Delivery{post("C4", "s9", t0)}
		insert(t, s, []store.Item{a, b}, newStory("s8", t0), newStory("s9", t0))
		ds := claim(t, s, "w", t0, 10)
		if len(ds) != 1 {
			t.Fatalf("claimed %d deliveries, want b's post", len(ds))
		}
		insert(t, s, nil, store.Story{ID: "s8", MergedFrom: []string{"s9"}})
		must(t, "MarkSent", s.MarkSent(ctx, ds[0].ID, "w", "ref-b", t0, []string{"s9"}))
		for _, id := range []string{"s8", "s9"} {
			ref, err := s.RootRef(ctx, "slack", "C4", id)
			must(t, "RootRef", err)
			if ref != "ref-b" {
				t.Errorf("RootRef(C4, %s) = %q, want ref-b", id, ref)
			}
		}
	})

	t.Run("MergeChain", func(t *testing.T) {
		s := open(t)
		f := addFeed(t, s, "https://a.example/rss", "A")
		insert(t, s, []store.Item{newItem(f, "x", "s5", t0), newItem(f, "y", "s6", t0), newItem(f, "z", "s7", t0)},
			newStory("s5", t0), newStory("s6", t0), newStory("s7", t0))
		insert(t, s, nil, store.Story{ID: "s6", MergedFrom: []string{"s5"}})
		insert(t, s, nil, store.Story{ID: "s7", MergedFrom: []string{"s6"}})
		// Merging what is one story already changes nothing.
		insert(t, s, nil, store.Story{ID: "s5", MergedFrom: []string{"s7"}})
		for _, id := range []string{"s5", "s6", "s7"} {
			st, err := s.Story(ctx, id)
			must(t, "Story", err)
			if st.ID != "s7" || st.Items != 3 {
				t.Errorf("Story(%s) = %s with %d items, want s7 with 3", id, st.ID, st.Items)
			}
		}
	})

	t.Run("Move", func(t *testing.T) {
		s := open(t)
		f := addFeed(t, s, "https://a.example/rss", "A")
		x1, x2 := newItem(f, "x1", "s3", t0), newItem(f, "x2", "s3", t0.Add(-time.Hour))
		x2.Regions, x2.Security, x2.Severity = []string{"syria"}, true, "high"
		insert(t, s, []store.Item{x1, x2}, newStory("s3", t0), store.Story{ID: "s3", Title: x2.Title, Regions: x2.Regions,
			Severity: "high", Security: true, FirstSeen: x2.Published, LastSeen: x2.Published})
		insert(t, s, nil, store.Story{ID: "s4", Moved: []store.ItemRef{{FeedID: f.ID, Key: "x2"}}})
		// A move may name an item the same call stores.
		insert(t, s, []store.Item{newItem(f, "x3", "s3", t0.Add(time.Hour))}, newStory("s3", t0.Add(time.Hour)),
			store.Story{ID: "s11", Moved: []store.ItemRef{{FeedID: f.ID, Key: "x3"}}})
		for _, c := range []struct {
			id, key, title string
			regions        []string
			security       bool
		}{
			{"s3", "x1", "Title x1", []string{"iraq"}, false},
			{"s4", "x2", "Title x2", []string{"syria"}, true},
			{"s11", "x3", "Title x3", []string{"iraq"}, false},
		} {
			st, err := s.Story(ctx, c.id)
			must(t, "Story", err)
			if st.Items != 1 || st.Title != c.title || !sameSet(st.Regions, c.regions) || st.Security != c.security {
				t.Errorf("Story(%s) = %+v, want 1 item, title %q, regions %v, security %v", c.id, st, c.title, c.regions, c.security)
			}
			items, err := s.Items(ctx, store.ItemFilter{StoryID: c.id})
			must(t, "Items", err)
			if got := keysOf(items); !slices.Equal(got, []string{c.key}) {
				t.Errorf("Items(StoryID %s) = %v, want %s", c.id, got, c.key)
			}
		}
	})
}

// MergeAfterMigration checks a database made before story merges existed, holding story s1
// (titled One, with item a) and story s2 (titled Two, with item b): after the backend's
// migrations, s2 merges into s1 and stands for it.
func MergeAfterMigration(t *testing.T, db store.Store) {
	t.Helper()
	ctx := context.Background()
	if _, err := db.InsertItems(ctx, nil, []store.Story{{ID: "s1", MergedFrom: []string{"s2"}}}); err != nil {
		t.Fatal(err)
	}
	st, err := db.Story(ctx, "s2")
	if err != nil || st.ID != "s1" || st.Items != 2 || st.Title != "One" {
		t.Errorf("Story(s2) = %+v (%v), want s1 with 2 items, titled One", st, err)
	}
	all, err := db.Stories(ctx, store.StoryFilter{})
	if err != nil || len(all) != 1 {
		t.Errorf("Stories() = %v (%v), want s1 alone", all, err)
	}
}
