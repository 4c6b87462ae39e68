package ingest

import (
	"context"
	"fmt"
	"maps"
	"math/rand/v2"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/sitrep-bot/sitrep/feeds"
	"github.com/sitrep-bot/sitrep/store"
	"github.com/sitrep-bot/sitrep/store/sqlite"
)

// TestPollsFollowClustererRealDays polls the dev set's three days of eleven outlets (skipped when
// ../shared is missing) in several polls, as their items are published, with slow outlets, in
// shuffled feed-list and item orders, feed by feed, across restarts: the stored partition read back
// from the store must be that of one poll of everything, whatever the poll boundaries (issue 14).
func TestPollsFollowClustererRealDays(t *testing.T) {
	if testing.Short() {
		t.Skip("slow: polls 731 real items several times")
	}
	outlets := devOutlets(t, "")
	urls := slices.Sorted(maps.Keys(outlets))
	end := time.Date(2026, 1, 6, 0, 0, 0, 0, time.UTC)
	want := partitionOfPollAll(t, outlets, urls, end)
	hours := func(hs ...int) []time.Time {
		var out []time.Time
		for _, h := range hs {
			out = append(out, time.Date(2026, 1, 3, 0, 0, 0, 0, time.UTC).Add(time.Duration(h)*time.Hour))
		}
		return append(out, end)
	}
	published := func(_ string, it feeds.Item, at time.Time) bool { return it.Published.Before(at) }
	// Slow outlets list their items up to a day late, except in the last poll: reports published
	// before stored ones arrive after them.
	lag := map[string]time.Duration{}
	for i, u := range urls {
		lag[u] = time.Duration(i%4) * 8 * time.Hour
	}
	late := func(u string, it feeds.Item, at time.Time) bool {
		return at.Equal(end) || it.Published.Before(at.Add(-lag[u]))
	}
	rnd := rand.New(rand.NewPCG(14, 3))
	shuffled := slices.Clone(urls)
	rnd.Shuffle(len(shuffled), func(i, j int) { shuffled[i], shuffled[j] = shuffled[j], shuffled[i] })
	mixed := outletItems{}
	for u, items := range outlets {
		items = slices.Clone(items)
		rnd.Shuffle(len(items), func(i, j int) { items[i], items[j] = items[j], items[i] })
		mixed[u] = items
	}
	reversed := slices.Clone(urls)
	slices.Reverse(reversed)
	for _, c := range []struct {
		name    string
		outlets outletItems
		urls    []string
		rounds  []time.Time
		visible func(string, feeds.Item, time.Time) bool
		poll    func(*Pipeline, []store.Feed) []PollResult
		restart bool
	}{
		{"4 polls by publication time", outlets, urls, hours(18, 36, 54), published, pollAll, false},
		{"3 polls, feed list reversed", outlets, reversed, hours(30, 50), published, pollAll, false},
		{"4 polls, slow outlets", outlets, urls, hours(20, 40, 60), late, pollAll, false},
		{"4 polls, slow outlets, shuffled feeds and items", mixed, shuffled, hours(12, 30, 48), late, pollAll, false},
		{"4 rounds of each feed polled on its own, slow outlets", mixed, shuffled, hours(16, 32, 48), late, pollEach, false},
		{"4 polls, a restart before each, slow outlets", outlets, urls, hours(20, 40, 60), late, pollAll, true},
		{"4 rounds of each feed on its own, a restart before each", mixed, reversed, hours(14, 28, 56), late, pollEach, true},
	} {
		t.Run(c.name, func(t *testing.T) {
			got := partitionOfPolls(t, c.outlets, c.urls, c.rounds, c.visible, c.poll, c.restart)
			if !slices.Equal(got, want) {
				t.Errorf("%d stories, one poll: %d; the stored partitions differ in %d groups", len(got), len(want), diffGroups(got, want))
				for _, g := range got {
					if !slices.Contains(want, g) {
						t.Logf("only in polls: %s", g)
					}
				}
				for _, g := range want {
					if !slices.Contains(got, g) {
						t.Logf("only in one poll: %s", g)
					}
				}
			}
		})
	}
	t.Logf("%d stories", len(want))
}

// diffGroups counts the groups that are in one partition only.
func diffGroups(a, b []string) int {
	n := 0
	for _, g := range a {
		if !slices.Contains(b, g) {
			n++
		}
	}
	for _, g := range b {
		if !slices.Contains(a, g) {
			n++
		}
	}
	return n
}

// dealItem is a report of the Iraq–Iran border agreement published hoursAgo before now.
func dealItem(key, title, text string, now time.Time, hoursAgo int) feeds.Item {
	return feeds.Item{Key: key, URL: "https://example.org/" + key, Title: title, Content: text, Published: now.Add(-time.Duration(hoursAgo) * time.Hour)}
}

const dealText = "Iraq and Iran signed a border security agreement in Baghdad on Monday on joint patrols along their shared border, officials said."

// deliverAll sends every due delivery as a fake platform would: each gets a message ref and
// roots its story in its channel.
func deliverAll(t *testing.T, st store.Store, now time.Time) {
	t.Helper()
	ctx := context.Background()
	for {
		ds, err := st.ClaimDeliveries(ctx, "test", now, time.Minute, 100)
		if err != nil {
			t.Fatal(err)
		}
		if len(ds) == 0 {
			return
		}
		for _, d := range ds {
			var roots []string
			if d.Kind == store.KindPost {
				roots = []string{d.StoryID}
			}
			if err := st.MarkSent(ctx, d.ID, "test", fmt.Sprintf("ref-%d", d.ID), now, roots); err != nil {
				t.Fatal(err)
			}
		}
	}
}

// pollFeeds polls the feeds (by URL) with PollAll and returns their new items by key.
func pollFeeds(t *testing.T, p *Pipeline, st store.Store, urls ...string) map[string]store.Item {
	t.Helper()
	var list []store.Feed
	for _, u := range urls {
		list = append(list, feedAt(t, st, u))
	}
	out := map[string]store.Item{}
	for _, r := range p.PollAll(context.Background(), list, true, 2) {
		if r.Err != nil {
			t.Fatalf("poll %s: %v", r.Feed.URL, r.Err)
		}
		for _, it := range r.New {
			out[it.Key] = it
		}
	}
	return out
}

// deliveriesOf returns the deliveries of one stored item.
func deliveriesOf(t *testing.T, st store.Store, it store.Item) []store.Delivery {
	t.Helper()
	var out []store.Delivery
	for _, d := range deliveries(t, st, 100) {
		if d.ItemID == it.ID {
			out = append(out, d)
		}
	}
	return out
}

// wantUpdate fails unless the item's one delivery is a threaded update of story.
func wantUpdate(t *testing.T, st store.Store, it store.Item, story string) {
	t.Helper()
	ds := deliveriesOf(t, st, it)
	if len(ds) != 1 || ds[0].Kind != store.KindUpdate || ds[0].StoryID != story {
		t.Errorf("deliveries of %s = %+v, want one threaded update of story %s", it.Key, ds, story)
	}
}

// countPosts counts the root posts ever enqueued.
func countPosts(t *testing.T, st store.Store) int {
	t.Helper()
	n := 0
	for _, d := range deliveries(t, st, 100) {
		if d.Kind == store.KindPost {
			n++
		}
	}
	return n
}

// TestNewcomerThreadsUnderPostedStory: a report published before a posted one arrives in a later
// poll. The clusterer starts the group's story at the newcomer, but the newcomer joins the posted
// story: a reply in its thread, not a second root post.
func TestNewcomerThreadsUnderPostedStory(t *testing.T) {
	st := openStore(t)
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	f := &scriptFetcher{results: map[string][]feeds.Result{
		"https://a.example/rss": {{Items: []feeds.Item{dealItem("a1", borderDealTitles[0], dealText, now, 5)}}},
		"https://b.example/rss": {{Items: []feeds.Item{dealItem("b1", borderDealTitles[1], dealText, now, 6)}}},
	}}
	addFeed(t, st, store.Feed{URL: "https://a.example/rss", Name: "A"})
	addFeed(t, st, store.Feed{URL: "https://b.example/rss", Name: "B"})
	subscribe(t, st, store.Subscription{Platform: "fake", Channel: "all"})
	clock := now
	p := newTestPipeline(t, st, f, func() time.Time { return clock })

	a1 := pollFeeds(t, p, st, "https://a.example/rss")["a1"]
	deliverAll(t, st, clock)
	clock = clock.Add(10 * time.Minute)
	b1 := pollFeeds(t, p, st, "https://b.example/rss")["b1"]
	if a1.StoryID == "" || b1.StoryID != a1.StoryID {
		t.Fatalf("the later report is in story %q, the posted one in %q: want the posted story", b1.StoryID, a1.StoryID)
	}
	wantUpdate(t, st, b1, a1.StoryID)
	if n := countPosts(t, st); n != 1 {
		t.Errorf("%d root posts, want 1", n)
	}
	s, err := st.Story(context.Background(), a1.StoryID)
	if err != nil || s.Items != 2 || s.Title != borderDealTitles[1] {
		t.Errorf("story = %+v (%v), want 2 items titled by the earliest report", s, err)
	}
}

// TestMergeOfStoredStoriesSurvivesRestart: two reports stored (and posted) as two stories, then a
// report published before both that links them. The clusterer makes one story of the three; the
// store merges the two (the later-stored id stands for the other), the newcomer threads under the
// surviving post, and after a restart (the database reopened, a new pipeline) a further report
// joins the surviving story too. Nothing is posted twice.
func TestMergeOfStoredStoriesSurvivesRestart(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "d.db")
	st, err := sqlite.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	f := &scriptFetcher{results: map[string][]feeds.Result{
		"https://a.example/rss": {{Items: []feeds.Item{dealItem("a1", "Iraq and Iran sign border security agreement in Baghdad",
			"Iraq and Iran signed a border security agreement in Baghdad on Monday, officials said.", now, 5)}}},
		"https://c.example/rss": {{Items: []feeds.Item{dealItem("c1", "Drone surveillance and joint patrols planned on Iran-Iraq frontier",
			"Drones will watch the Iran-Iraq frontier and joint patrols will start next month, a commander said.", now, 4)}}},
		"https://b.example/rss": {{Items: []feeds.Item{dealItem("b1", "Iraq and Iran sign border pact: joint patrols and drone surveillance along frontier",
			"Iraq and Iran signed a border security agreement in Baghdad on Monday providing for joint patrols and drone surveillance along their shared frontier, officials said.", now, 6)}}},
	}}
	for _, u := range []string{"https://a.example/rss", "https://b.example/rss", "https://c.example/rss"} {
		addFeed(t, st, store.Feed{URL: u, Name: u})
	}
	subscribe(t, st, store.Subscription{Platform: "fake", Channel: "all"})
	clock := now
	p := newTestPipeline(t, st, f, func() time.Time { return clock })

	first := pollFeeds(t, p, st, "https://a.example/rss", "https://c.example/rss")
	a1, c1 := first["a1"], first["c1"]
	if a1.StoryID == c1.StoryID {
		t.Fatalf("a1 and c1 share story %s before the report linking them: the fixture no longer tests a merge", a1.StoryID)
	}
	deliverAll(t, st, clock)
	clock = clock.Add(10 * time.Minute)
	b1 := pollFeeds(t, p, st, "https://b.example/rss")["b1"]
	survivor := min(a1.StoryID, c1.StoryID) // stored in the same poll: the smaller id survives
	if b1.StoryID != survivor {
		t.Fatalf("the linking report is in story %s, want the surviving stored story %s (of %s, %s)", b1.StoryID, survivor, a1.StoryID, c1.StoryID)
	}
	wantUpdate(t, st, b1, survivor)
	if err := st.Close(); err != nil {
		t.Fatal(err)
	}

	// Restart: the database reopened, a new pipeline.
	st2, err := sqlite.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st2.Close() })
	for _, id := range []string{a1.StoryID, c1.StoryID} {
		s, err := st2.Story(ctx, id)
		if err != nil || s.ID != survivor || s.Items != 3 {
			t.Errorf("Story(%s) = %+v (%v), want the surviving story %s with 3 items", id, s, err, survivor)
		}
	}
	if got := storedPartition(t, st2); len(got) != 1 {
		t.Errorf("stored partition %q, want one story", got)
	}
	clock = clock.Add(10 * time.Minute)
	later := &scriptFetcher{results: map[string][]feeds.Result{
		"https://a.example/rss": {{Items: []feeds.Item{dealItem("a2", borderDealTitles[3], dealText, now, 1)}}},
	}}
	p2 := newTestPipeline(t, st2, later, func() time.Time { return clock })
	a2 := pollFeeds(t, p2, st2, "https://a.example/rss")["a2"]
	if a2.StoryID != survivor {
		t.Errorf("after the restart a further report is in story %s, want the surviving story %s", a2.StoryID, survivor)
	}
	wantUpdate(t, st2, a2, survivor)
	if n := countPosts(t, st2); n != 2 {
		t.Errorf("%d root posts, want the two of the first poll", n)
	}
}

// TestTwoReplicasOneThreadPerStory: two replicas (pipelines over one store) poll half of the dev
// set's outlets each, in turns, as the items are published (skipped when ../shared is missing).
// Whatever each replica's clusterer decides, every item is delivered once to the channel, as the
// root post of its stored story or a threaded update under it, and no story has two roots.
func TestTwoReplicasOneThreadPerStory(t *testing.T) {
	if testing.Short() {
		t.Skip("slow: polls 731 real items")
	}
	outlets := devOutlets(t, "")
	urls := slices.Sorted(maps.Keys(outlets))
	ctx := context.Background()
	st := openStore(t)
	subscribe(t, st, store.Subscription{Platform: "fake", Channel: "all"})
	rounds := []time.Time{}
	for h := 12; h <= 72; h += 12 {
		rounds = append(rounds, time.Date(2026, 1, 3, 0, 0, 0, 0, time.UTC).Add(time.Duration(h)*time.Hour))
	}
	f := &scriptFetcher{results: map[string][]feeds.Result{}}
	for _, u := range urls {
		addFeed(t, st, store.Feed{URL: u, Name: u})
		for _, at := range rounds {
			var items []feeds.Item
			for _, it := range outlets[u] {
				if it.Published.Before(at) {
					items = append(items, it)
				}
			}
			f.results[u] = append(f.results[u], feeds.Result{Items: items})
		}
	}
	var now time.Time
	clock := func() time.Time { return now }
	replicas := []*Pipeline{newTestPipeline(t, st, f, clock), newTestPipeline(t, st, f, clock)}
	for _, at := range rounds {
		for i, p := range replicas {
			now = at.Add(time.Duration(i) * 2 * time.Minute)
			var mine []string
			for j, u := range urls {
				if j%2 == i {
					mine = append(mine, u)
				}
			}
			pollFeeds(t, p, st, mine...)
			if i == len(replicas)-1 {
				// The other replica's pending posts wait for the deliverer
				// while this one regroups.
				deliverAll(t, st, now)
			}
		}
	}
	items, err := st.RecentItems(ctx, time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	storyOf := map[int64]string{}
	for _, it := range items {
		storyOf[it.ID] = it.StoryID
	}
	ds := deliveries(t, st, 10000)
	perItem := map[int64]int{}
	roots := map[string]int{}
	for _, d := range ds {
		perItem[d.ItemID]++
		if d.Kind == store.KindPost && d.Status == store.StatusSent {
			roots[d.StoryID]++
		}
	}
	for _, it := range items {
		if n := perItem[it.ID]; n > 1 {
			t.Errorf("item %s delivered %d times", it.Key, n)
		}
	}
	for _, d := range ds {
		if d.Kind != store.KindUpdate {
			continue
		}
		// The thread it went to: its story's then (a report moved to a
		// story split off since keeps its delivery).
		ref, err := st.RootRef(ctx, d.Platform, d.Channel, d.StoryID)
		if err != nil || ref == "" {
			t.Errorf("update of item %d (story %s, now %s) had no root to thread under (%v)", d.ItemID, d.StoryID, storyOf[d.ItemID], err)
		}
	}
	for s, n := range roots {
		if n > 1 {
			t.Errorf("story %s posted %d times", s, n)
		}
	}
	// Each replica reloads the other's reports unpinned: both cluster the same set, so the
	// stored partition is that of one poll of everything.
	got := storedPartition(t, st)
	want := partitionOfPollAll(t, outlets, urls, rounds[len(rounds)-1])
	if !slices.Equal(got, want) {
		t.Errorf("%d stories, one poll of everything: %d; %d groups differ", len(got), len(want), diffGroups(got, want))
	}
	t.Logf("%d items, %d deliveries, %d stories", len(items), len(ds), len(got))
}
