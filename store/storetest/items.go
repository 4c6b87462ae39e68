package storetest

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/sitrep-bot/sitrep/store"
)

// newItem builds an item of feed f in story sid, published at pub and fetched
// a minute later.
func newItem(f store.Feed, key, sid string, pub time.Time) store.Item {
	return store.Item{
		FeedID:    f.ID,
		Key:       key,
		GUID:      "guid-" + key,
		URL:       "https://news.example/" + key,
		Title:     "Title " + key,
		Text:      "Body of " + key + ".",
		Summary:   "Summary of " + key + ".",
		Published: pub,
		Fetched:   pub.Add(time.Minute),
		Regions:   []string{"iraq"},
		Topics:    []string{"politics"},
		StoryID:   sid,
	}
}

// newStory builds a story first and last seen at seen.
func newStory(id string, seen time.Time) store.Story {
	return store.Story{ID: id, Title: "Story " + id, Summary: "About " + id + ".", Regions: []string{"iraq"},
		Topics: []string{"politics"}, Severity: "low", FirstSeen: seen, LastSeen: seen}
}

// insert calls InsertItems and fails the test on error.
func insert(t *testing.T, s store.Store, items []store.Item, stories ...store.Story) []store.Item {
	t.Helper()
	got, err := s.InsertItems(context.Background(), items, stories)
	must(t, "InsertItems", err)
	return got
}

// keysOf returns the keys of items in order.
func keysOf(items []store.Item) []string {
	var ks []string
	for _, it := range items {
		ks = append(ks, it.Key)
	}
	return ks
}

// allDeliveries lists every delivery, newest first.
func allDeliveries(t *testing.T, s store.Store) []store.Delivery {
	t.Helper()
	ds, err := s.Deliveries(context.Background(), "", 1000)
	must(t, "Deliveries", err)
	return ds
}

func testItems(t *testing.T, open func(t *testing.T) store.Store) {
	ctx := context.Background()

	t.Run("InsertReturnsOnlyNew", func(t *testing.T) {
		s := open(t)
		f := addFeed(t, s, "https://a.example/rss", "A")
		st := newStory("s1", t0)
		got := insert(t, s, []store.Item{newItem(f, "k1", "s1", t0), newItem(f, "k2", "s1", t0)}, st)
		if !slices.Equal(keysOf(got), []string{"k1", "k2"}) {
			t.Fatalf("InsertItems(k1,k2) returned keys %v, want [k1 k2]", keysOf(got))
		}
		if got[0].ID == 0 || got[1].ID == 0 || got[0].ID == got[1].ID {
			t.Fatalf("InsertItems IDs = %d, %d, want two distinct IDs", got[0].ID, got[1].ID)
		}
		got = insert(t, s, []store.Item{newItem(f, "k2", "s1", t0), newItem(f, "k3", "s1", t0)}, st)
		if !slices.Equal(keysOf(got), []string{"k3"}) {
			t.Fatalf("InsertItems(k2,k3) returned keys %v, want [k3]", keysOf(got))
		}
		if got[0].ID == 0 {
			t.Fatalf("InsertItems(k3).ID = 0")
		}

		known, err := s.KnownKeys(ctx, f.ID, []string{"k1", "k2", "k3", "k4"})
		must(t, "KnownKeys", err)
		if len(known) != 3 || !known["k1"] || !known["k2"] || !known["k3"] || known["k4"] {
			t.Errorf("KnownKeys = %v, want k1 k2 k3", known)
		}
		known, err = s.KnownKeys(ctx, f.ID, nil)
		must(t, "KnownKeys(nil)", err)
		if len(known) != 0 {
			t.Errorf("KnownKeys(nil) = %v, want empty", known)
		}
		g := addFeed(t, s, "https://b.example/rss", "B")
		known, err = s.KnownKeys(ctx, g.ID, []string{"k1", "k2"})
		must(t, "KnownKeys(other feed)", err)
		if len(known) != 0 {
			t.Errorf("KnownKeys(other feed) = %v, want empty", known)
		}
	})

	t.Run("DuplicateKeyEnqueuesNothing", func(t *testing.T) {
		s := open(t)
		f := addFeed(t, s, "https://a.example/rss", "A")
		it := newItem(f, "k1", "s1", t0)
		it.Deliveries = []store.Delivery{{Platform: "slack", Channel: "C1", Kind: store.KindPost, StoryID: "s1", Created: t0}}
		if got := insert(t, s, []store.Item{it}, newStory("s1", t0)); len(got) != 1 {
			t.Fatalf("first InsertItems returned %d items, want 1", len(got))
		}
		if n := len(allDeliveries(t, s)); n != 1 {
			t.Fatalf("after first insert %d deliveries, want 1", n)
		}
		it.Deliveries = []store.Delivery{{Platform: "slack", Channel: "C2", Kind: store.KindPost, StoryID: "s1", Created: t0}}
		if got := insert(t, s, []store.Item{it}, newStory("s1", t0)); len(got) != 0 {
			t.Fatalf("second InsertItems of the same key returned %v, want nothing", keysOf(got))
		}
		ds := allDeliveries(t, s)
		if len(ds) != 1 || ds[0].Channel != "C1" {
			t.Fatalf("a known item's deliveries were enqueued: %+v", ds)
		}
	})

	t.Run("LargeBatchWithRepeats", func(t *testing.T) {
		// A poll round's batch is long: every new item comes back, in
		// order, with its own id, searchable and with its deliveries; a
		// key repeated in the batch or already stored does not.
		s := open(t)
		f := addFeed(t, s, "https://a.example/rss", "A")
		g := addFeed(t, s, "https://b.example/rss", "B")
		insert(t, s, []store.Item{newItem(f, "old", "s1", t0)}, newStory("s1", t0))
		var batch []store.Item
		var want []string
		for i := range 150 {
			feed, key := f, fmt.Sprintf("k%03d", i)
			if i%2 == 1 {
				feed = g
			}
			switch {
			case i == 7, i == 80:
				key = "old" // stored before (in feed f only)
			case i%31 == 30:
				key = fmt.Sprintf("k%03d", i-2) // repeats an earlier item of the same feed
			case i == 148:
				key = "k000" // repeats the first item (feed f), far back
			}
			it := newItem(feed, key, "s1", t0)
			it.Text = "Convoy report number " + key + "."
			it.Deliveries = []store.Delivery{{Platform: "slack", Channel: "C1", Kind: store.KindUpdate, StoryID: "s1", Created: t0}}
			if !slices.ContainsFunc(batch, func(b store.Item) bool { return b.FeedID == it.FeedID && b.Key == key }) &&
				!(feed.ID == f.ID && key == "old") {
				want = append(want, fmt.Sprintf("%d/%s", feed.ID, key))
			}
			batch = append(batch, it)
		}
		got := insert(t, s, batch, newStory("s1", t0))
		var gotKeys []string
		ids := map[int64]bool{}
		for _, it := range got {
			gotKeys = append(gotKeys, fmt.Sprintf("%d/%s", it.FeedID, it.Key))
			if it.ID == 0 || ids[it.ID] {
				t.Fatalf("item %d/%s has id %d (zero or repeated)", it.FeedID, it.Key, it.ID)
			}
			ids[it.ID] = true
		}
		if !slices.Equal(gotKeys, want) {
			t.Fatalf("InsertItems returned %d items %v\nwant %d %v", len(gotKeys), gotKeys, len(want), want)
		}
		stored, err := s.Items(ctx, store.ItemFilter{FeedID: g.ID, Limit: 1000})
		must(t, "Items", err)
		for _, it := range stored {
			if !ids[it.ID] {
				t.Errorf("stored item %s has id %d, which InsertItems did not return", it.Key, it.ID)
			}
		}
		found, err := s.Items(ctx, store.ItemFilter{Query: "convoy", Limit: 1000})
		must(t, "Items(search)", err)
		if len(found) != len(want) {
			t.Errorf("search finds %d new items, want %d", len(found), len(want))
		}
		if n := len(allDeliveries(t, s)); n != len(want) {
			t.Errorf("%d deliveries enqueued, want one per new item (%d)", n, len(want))
		}
	})

	t.Run("SameKeyOtherFeedIsNew", func(t *testing.T) {
		s := open(t)
		f := addFeed(t, s, "https://a.example/rss", "A")
		g := addFeed(t, s, "https://b.example/rss", "B")
		insert(t, s, []store.Item{newItem(f, "k1", "s1", t0)}, newStory("s1", t0))
		got := insert(t, s, []store.Item{newItem(g, "k1", "s1", t0)}, newStory("s1", t0))
		if len(got) != 1 || got[0].FeedID != g.ID {
			t.Fatalf("same key in another feed: InsertItems returned %+v, want it as new", got)
		}
	})

	t.Run("ItemRoundTrip", func(t *testing.T) {
		s := open(t)
		f := addFeed(t, s, "https://a.example/rss", "A")
		in := newItem(f, "k1", "s1", t0.Add(-90*time.Minute).Add(1500*time.Nanosecond))
		in.Regions = []string{"iraq", "kurdistan-region"}
		in.Topics = []string{"border-security", "terrorism"}
		in.Text = "Ünïcode – text with “quotes” and عربي."
		ins := insert(t, s, []store.Item{in}, newStory("s1", t0))
		got, err := s.Items(ctx, store.ItemFilter{StoryID: "s1"})
		must(t, "Items", err)
		if len(got) != 1 {
			t.Fatalf("Items(story s1) returned %d items, want 1", len(got))
		}
		g := got[0]
		if g.ID != ins[0].ID || g.FeedID != f.ID || g.Key != in.Key || g.GUID != in.GUID || g.URL != in.URL ||
			g.Title != in.Title || g.Text != in.Text || g.Summary != in.Summary || g.StoryID != in.StoryID {
			t.Errorf("Items()[0] = %+v, want %+v", g, in)
		}
		if !sameTime(g.Published, in.Published) || !sameTime(g.Fetched, in.Fetched) {
			t.Errorf("times = %v, %v; want %v, %v", g.Published, g.Fetched, ts(in.Published), ts(in.Fetched))
		}
		if !sameSet(g.Regions, in.Regions) || !sameSet(g.Topics, in.Topics) {
			t.Errorf("Regions, Topics = %v, %v; want %v, %v", g.Regions, g.Topics, in.Regions, in.Topics)
		}
	})

	t.Run("OddTextAccepted", func(t *testing.T) {
		s := open(t)
		f := addFeed(t, s, "https://a.example/rss", "A")
		odd := newItem(f, "odd", "s1", t0)
		odd.Title, odd.Text = "NUL\x00 in a title", "Broken \xff\xfe bytes and NUL\x00 in the text"
		got := insert(t, s, []store.Item{odd}, newStory("s1", t0))
		if len(got) != 1 {
			t.Fatalf("InsertItems(odd text) returned %d items, want 1", len(got))
		}
		if got := insert(t, s, []store.Item{odd}, newStory("s1", t0)); len(got) != 0 {
			t.Errorf("the odd item was new twice")
		}
	})

	t.Run("SecurityStored", func(t *testing.T) {
		// Items keep their security flag and severity; a story is security news as soon as
		// one version of it is, whatever order the versions arrive in.
		for name, secondSecure := range map[string]bool{"SecureFirst": false, "SecureLater": true} {
			t.Run(name, func(t *testing.T) {
				s := open(t)
				f := addFeed(t, s, "https://a.example/rss", "A")
				a := newItem(f, "a", "s1", t0)
				b := newItem(f, "b", "s1", t0.Add(time.Minute))
				sa, sb := newStory("s1", t0), newStory("s1", t0.Add(time.Minute))
				if secondSecure {
					b.Security, b.Severity, sb.Security = true, "medium", true
				} else {
					a.Security, a.Severity, sa.Security = true, "high", true
				}
				insert(t, s, []store.Item{a}, sa)
				insert(t, s, []store.Item{b}, sb)
				got, err := s.Story(ctx, "s1")
				must(t, "Story", err)
				if !got.Security {
					t.Errorf("story security = false, want true (one of its reports is)")
				}
				items, err := s.Items(ctx, store.ItemFilter{StoryID: "s1"})
				must(t, "Items", err)
				if len(items) != 2 {
					t.Fatalf("Items = %d, want 2", len(items))
				}
				for _, it := range items {
					want := it.Key == "b" == secondSecure
					if it.Security != want || (it.Severity != "") != want {
						t.Errorf("item %s: security %v severity %q, want security %v", it.Key, it.Security, it.Severity, want)
					}
				}
			})
		}
		s := open(t)
		f := addFeed(t, s, "https://a.example/rss", "A")
		insert(t, s, []store.Item{newItem(f, "c", "s2", t0)}, newStory("s2", t0))
		if got, err := s.Story(ctx, "s2"); err != nil || got.Security {
			t.Errorf("story of a non-security item: security %v (%v), want false", got.Security, err)
		}
	})

	t.Run("StoriesMerged", func(t *testing.T) {
		// A story upsert merges into the stored story, whatever order the
		// versions arrive in (replicas may commit them out of order):
		// regions and topics are unioned, severity is the highest, the
		// time span widens, and title and summary belong to the version
		// that was seen first.
		first := store.Story{ID: "s1", Title: "Clashes at border", Summary: "One.", Regions: []string{"iraq"},
			Topics: []string{"terrorism"}, Severity: "low", FirstSeen: t0, LastSeen: t0}
		second := store.Story{ID: "s1", Title: "Clashes at border spread", Summary: "Two.", Regions: []string{"iran", "iraq"},
			Topics: []string{"armed-conflict"}, Severity: "high", FirstSeen: t0.Add(time.Hour), LastSeen: t0.Add(time.Hour)}
		for name, order := range map[string][]store.Story{"InOrder": {first, second}, "Reversed": {second, first}} {
			t.Run(name, func(t *testing.T) { checkMerge(t, open(t), order, first) })
		}
	})

	t.Run("PostBecomesUpdate", func(t *testing.T) {
		s := open(t)
		f := addFeed(t, s, "https://a.example/rss", "A")
		post := func(platform, channel, sid string) store.Delivery {
			return store.Delivery{Platform: platform, Channel: channel, Kind: store.KindPost, StoryID: sid, Created: t0}
		}
		a := newItem(f, "a", "s1", t0)
		a.Deliveries = []store.Delivery{post("slack", "C1", "s1"), post("discord", "C1", "s1")}
		insert(t, s, []store.Item{a}, newStory("s1", t0))
		b := newItem(f, "b", "s1", t0.Add(time.Minute))
		b.Deliveries = []store.Delivery{post("slack", "C1", "s1"), post("slack", "C2", "s1")}
		nb := insert(t, s, []store.Item{b}, newStory("s1", t0.Add(time.Minute)))
		if len(nb) != 1 {
			t.Fatalf("InsertItems(b) returned %d items, want 1", len(nb))
		}

		type key struct{ platform, channel, kind string }
		count := map[key]int{}
		for _, d := range allDeliveries(t, s) {
			count[key{d.Platform, d.Channel, d.Kind}]++
			if d.Kind == store.KindUpdate && d.ItemID != nb[0].ID {
				t.Errorf("update delivery %+v has ItemID %d, want item b's %d", d, d.ItemID, nb[0].ID)
			}
			if d.StoryID != "s1" {
				t.Errorf("delivery %+v lost its StoryID", d)
			}
		}
		want := map[key]int{
			{"slack", "C1", store.KindPost}:   1,
			{"slack", "C1", store.KindUpdate}: 1,
			{"discord", "C1", store.KindPost}: 1,
			{"slack", "C2", store.KindPost}:   1,
		}
		if len(count) != len(want) {
			t.Errorf("deliveries by (platform, channel, kind) = %v, want %v", count, want)
		}
		for k, n := range want {
			if count[k] != n {
				t.Errorf("deliveries %v = %d, want %d (all: %v)", k, count[k], n, count)
			}
		}

		// Two new items of one story in the same call: still one root.
		c := newItem(f, "c", "s2", t0)
		c.Deliveries = []store.Delivery{post("slack", "C1", "s2")}
		d := newItem(f, "d", "s2", t0.Add(time.Second))
		d.Deliveries = []store.Delivery{post("slack", "C1", "s2")}
		nd := insert(t, s, []store.Item{c, d}, newStory("s2", t0))
		if len(nd) != 2 {
			t.Fatalf("InsertItems(c, d) returned %d items, want 2", len(nd))
		}
		posts, updates := 0, 0
		for _, del := range allDeliveries(t, s) {
			if del.StoryID != "s2" {
				continue
			}
			switch del.Kind {
			case store.KindPost:
				posts++
			case store.KindUpdate:
				updates++
				if del.ItemID != nd[0].ID && del.ItemID != nd[1].ID {
					t.Errorf("update %+v has ItemID %d, want c's or d's", del, del.ItemID)
				}
			}
		}
		if posts != 1 || updates != 1 {
			t.Errorf("two items of one story in one call: %d posts, %d updates; want 1 and 1", posts, updates)
		}
	})

	t.Run("ReportAfterRollupThreads", func(t *testing.T) {
		// A story's post is folded into a roll-up; another report arrives
		// before the roll-up is sent. Once the roll-up roots the story, that
		// report goes out as a threaded update, not as a second root.
		s := open(t)
		f := addFeed(t, s, "https://a.example/rss", "A")
		a := newItem(f, "a", "s1", t0)
		a.Deliveries = []store.Delivery{{Platform: "slack", Channel: "C1", Kind: store.KindPost, StoryID: "s1", Created: t0}}
		insert(t, s, []store.Item{a}, newStory("s1", t0))
		ds := allDeliveries(t, s)
		if len(ds) != 1 {
			t.Fatalf("%d deliveries, want 1", len(ds))
		}
		must(t, "MarkDropped", s.MarkDropped(ctx, []int64{ds[0].ID}, "folded into roll-up"))
		must(t, "Enqueue(rollup)", s.Enqueue(ctx, []store.Delivery{{Platform: "slack", Channel: "C1", Kind: store.KindRollup,
			Payload: []byte(`["s1"]`), Created: t0}}))
		rollups := claim(t, s, "w", t0, 10)
		if len(rollups) != 1 || rollups[0].Kind != store.KindRollup {
			t.Fatalf("claimed %+v, want the roll-up", rollups)
		}
		b := newItem(f, "b", "s1", t0.Add(time.Second))
		b.Deliveries = []store.Delivery{{Platform: "slack", Channel: "C1", Kind: store.KindPost, StoryID: "s1", Created: t0}}
		nb := insert(t, s, []store.Item{b}, newStory("s1", t0.Add(time.Second)))
		must(t, "MarkSent(rollup)", s.MarkSent(ctx, rollups[0].ID, "w", "ts.r", t0, []string{"s1"}))

		var pending []store.Delivery
		for _, d := range allDeliveries(t, s) {
			if d.Status == store.StatusPending {
				pending = append(pending, d)
			}
		}
		if len(pending) != 1 || pending[0].Kind != store.KindUpdate || pending[0].ItemID != nb[0].ID {
			t.Fatalf("pending after the roll-up = %+v, want one update of item b (%d)", pending, nb[0].ID)
		}
	})

	t.Run("SearchRanked", func(t *testing.T) {
		s := open(t)
		f := addFeed(t, s, "https://a.example/rss", "A")
		i1 := newItem(f, "i1", "s1", t0.Add(-3*time.Hour))
		i1.Title, i1.Text = "Drone strike near Erbil airport", "Officials said nobody was hurt in the attack."
		i2 := newItem(f, "i2", "s1", t0.Add(-1*time.Hour))
		i2.Title, i2.Text = "Parliament session postponed", "Members heard that a drone was seen over the city on Monday."
		i3 := newItem(f, "i3", "s1", t0.Add(-2*time.Hour))
		i3.Title, i3.Text = "Oil exports rise", "Pipeline flows to the port resumed after repairs."
		insert(t, s, []store.Item{i1, i2, i3}, newStory("s1", t0))

		for _, c := range []struct {
			query string
			want  []string
		}{
			{"drone", []string{"i1", "i2"}},
			{"Drone", []string{"i1", "i2"}},
			{"pipeline", []string{"i3"}},
			{"parliament", []string{"i2"}},
			{"submarine", nil},
		} {
			got, err := s.Items(ctx, store.ItemFilter{Query: c.query})
			must(t, "Items(Query "+c.query+")", err)
			if !slices.Equal(keysOf(got), c.want) {
				t.Errorf("Items(Query %q) = %v, want %v", c.query, keysOf(got), c.want)
			}
		}
		// Diacritics and case are ignored; other scripts are searchable.
		i4 := newItem(f, "i4", "s1", t0.Add(-4*time.Hour))
		i4.Title, i4.Text = "Türkiye strikes near Hewlêr", "قصف تركي قرب أربيل"
		insert(t, s, []store.Item{i4}, newStory("s1", t0))
		for _, q := range []string{"Türkiye", "turkiye", "TURKIYE", "hewler", "أربيل"} {
			got, err := s.Items(ctx, store.ItemFilter{Query: q})
			must(t, "Items(Query "+q+")", err)
			if !slices.Equal(keysOf(got), []string{"i4"}) {
				t.Errorf("Items(Query %q) = %v, want [i4]", q, keysOf(got))
			}
		}

		got, err := s.Items(ctx, store.ItemFilter{Query: "drone Erbil"})
		must(t, "Items(drone Erbil)", err)
		if len(got) == 0 || got[0].Key != "i1" {
			t.Errorf("Items(Query %q) = %v, want i1 first", "drone Erbil", keysOf(got))
		}
		// Filters apply to searches too.
		got, err = s.Items(ctx, store.ItemFilter{Query: "drone", Since: t0.Add(-90 * time.Minute)})
		must(t, "Items(drone, Since)", err)
		if !slices.Equal(keysOf(got), []string{"i2"}) {
			t.Errorf("Items(Query drone, Since -90m) = %v, want [i2]", keysOf(got))
		}
		got, err = s.Items(ctx, store.ItemFilter{Query: "drone", FeedID: f.ID + 1000})
		must(t, "Items(drone, other feed)", err)
		if len(got) != 0 {
			t.Errorf("Items(Query drone, unknown feed) = %v, want none", keysOf(got))
		}
		// User input never breaks the query language.
		for _, q := range []string{`"drone`, `drone AND`, `(`, `a:b`, `*`, `'; DROP TABLE items; --`, `NEAR(drone`, `-drone`, `  `} {
			if _, err := s.Items(ctx, store.ItemFilter{Query: q}); err != nil {
				t.Errorf("Items(Query %q) = %v, want no error", q, err)
			}
		}
	})

	t.Run("Filters", func(t *testing.T) {
		s := open(t)
		f := addFeed(t, s, "https://a.example/rss", "A")
		g := addFeed(t, s, "https://b.example/rss", "B")
		// An item's time is the later of Published and Fetched: late was
		// published long ago but fetched 10 minutes ago, so it is the newest.
		late := newItem(g, "late", "s3", t0.Add(-48*time.Hour))
		late.Fetched = t0.Add(-10 * time.Minute)
		insert(t, s, []store.Item{
			newItem(f, "f1", "s1", t0.Add(-4*time.Hour)),
			newItem(f, "f2", "s2", t0.Add(-2*time.Hour)),
			newItem(g, "g1", "s1", t0.Add(-3*time.Hour)),
			newItem(g, "g2", "s2", t0.Add(-1*time.Hour)),
			late,
		}, newStory("s1", t0), newStory("s2", t0), newStory("s3", t0))
		for _, c := range []struct {
			name string
			f    store.ItemFilter
			want []string
		}{
			{"all newest first", store.ItemFilter{}, []string{"late", "g2", "f2", "g1", "f1"}},
			{"story", store.ItemFilter{StoryID: "s1"}, []string{"g1", "f1"}},
			{"feed", store.ItemFilter{FeedID: g.ID}, []string{"late", "g2", "g1"}},
			{"since", store.ItemFilter{Since: t0.Add(-150 * time.Minute)}, []string{"late", "g2", "f2"}},
			{"limit", store.ItemFilter{Limit: 3}, []string{"late", "g2", "f2"}},
			{"story and feed", store.ItemFilter{StoryID: "s2", FeedID: f.ID}, []string{"f2"}},
			{"unknown story", store.ItemFilter{StoryID: "nope"}, nil},
		} {
			got, err := s.Items(ctx, c.f)
			must(t, "Items", err)
			if !slices.Equal(keysOf(got), c.want) {
				t.Errorf("%s: Items(%+v) = %v, want %v", c.name, c.f, keysOf(got), c.want)
			}
		}
	})

	t.Run("DefaultLimit", func(t *testing.T) {
		s := open(t)
		f := addFeed(t, s, "https://a.example/rss", "A")
		var items []store.Item
		for i := range 55 {
			items = append(items, newItem(f, fmt.Sprintf("k%02d", i), "s1", t0.Add(time.Duration(i)*time.Minute)))
		}
		insert(t, s, items, newStory("s1", t0))
		got, err := s.Items(ctx, store.ItemFilter{})
		must(t, "Items", err)
		if len(got) != 50 || got[0].Key != "k54" {
			t.Errorf("Items(Limit 0) returned %d items starting %v, want 50 starting k54", len(got), keysOf(got[:min(1, len(got))]))
		}
	})

	t.Run("RecentItems", func(t *testing.T) {
		s := open(t)
		f := addFeed(t, s, "https://a.example/rss", "A")
		old := newItem(f, "old", "s1", t0.Add(-50*time.Hour)) // published and fetched long ago
		late := newItem(f, "late", "s1", t0.Add(-40*time.Hour))
		late.Fetched = t0.Add(-time.Hour) // published long ago, fetched recently
		fresh := newItem(f, "fresh", "s1", t0.Add(-2*time.Hour))
		fresh.Fetched = t0.Add(-30 * time.Minute)
		insert(t, s, []store.Item{fresh, old, late}, newStory("s1", t0))
		got, err := s.RecentItems(ctx, t0.Add(-24*time.Hour))
		must(t, "RecentItems", err)
		if !slices.Equal(keysOf(got), []string{"late", "fresh"}) {
			t.Errorf("RecentItems(-24h) = %v, want [late fresh]", keysOf(got))
		}
		got, err = s.RecentItems(ctx, t0)
		must(t, "RecentItems(now)", err)
		if len(got) != 0 {
			t.Errorf("RecentItems(now) = %v, want none", keysOf(got))
		}
	})
}

// checkMerge inserts two versions of story s1 in order and checks the merge.
func checkMerge(t *testing.T, s store.Store, order []store.Story, first store.Story) {
	t.Helper()
	ctx := context.Background()
	f := addFeed(t, s, "https://a.example/rss", "A")
	insert(t, s, []store.Item{newItem(f, "k1", "s1", t0)}, order[0])
	insert(t, s, []store.Item{newItem(f, "k2", "s1", t0.Add(time.Hour))}, order[1])
	got, err := s.Story(ctx, "s1")
	must(t, "Story", err)
	if !sameTime(got.FirstSeen, t0) || !sameTime(got.LastSeen, t0.Add(time.Hour)) {
		t.Errorf("seen %v–%v, want %v–%v", got.FirstSeen, got.LastSeen, t0, t0.Add(time.Hour))
	}
	if !sameSet(got.Regions, []string{"iran", "iraq"}) || !sameSet(got.Topics, []string{"armed-conflict", "terrorism"}) {
		t.Errorf("Regions, Topics = %v, %v; want the union of both versions", got.Regions, got.Topics)
	}
	if got.Title != first.Title || got.Summary != first.Summary || got.Severity != "high" {
		t.Errorf("Title/Summary/Severity = %q/%q/%q, want the first-seen %q/%q and the highest severity",
			got.Title, got.Summary, got.Severity, first.Title, first.Summary)
	}
	if got.Items != 2 {
		t.Errorf("Story().Items = %d, want 2", got.Items)
	}
}
