package ingest

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/sitrep-bot/sitrep/feeds"
	"github.com/sitrep-bot/sitrep/store"
)

// outletItems is what each outlet's feed lists, keyed by feed URL.
type outletItems map[string][]feeds.Item

// partitionOfPollAll polls the outlets once with PollAll, the feed list in the given order, into a
// fresh store and returns the stored partition (storedPartition).
func partitionOfPollAll(t *testing.T, outlets outletItems, urls []string, now time.Time) []string {
	t.Helper()
	return partitionOfPolls(t, outlets, urls, []time.Time{now}, nil, pollAll, false)
}

// pollAll polls the feeds in one PollAll round.
func pollAll(p *Pipeline, list []store.Feed) []PollResult {
	return p.PollAll(context.Background(), list, true, 4)
}

// pollEach polls each feed on its own, all at once, as the scheduler's ticks do.
func pollEach(p *Pipeline, list []store.Feed) []PollResult {
	out := make([]PollResult, len(list))
	var wg sync.WaitGroup
	for i, f := range list {
		wg.Add(1)
		go func() {
			defer wg.Done()
			out[i] = p.Poll(context.Background(), f, true)
		}()
	}
	wg.Wait()
	return out
}

// partitionOfPolls polls the outlets with poll into a fresh store, the feed list in the given
// order, once per time in rounds (the pipeline's clock): each round the feeds list the items
// visible then (visible; nil: all of them, each round). It returns the stored partition
// (storedPartition) after the last round. With restart each round has a new pipeline (a process
// restarted over the same store).
func partitionOfPolls(t *testing.T, outlets outletItems, urls []string, rounds []time.Time,
	visible func(url string, it feeds.Item, at time.Time) bool, poll func(*Pipeline, []store.Feed) []PollResult, restart bool) []string {
	t.Helper()
	ctx := context.Background()
	st := openStore(t)
	f := &scriptFetcher{results: map[string][]feeds.Result{}}
	var list []store.Feed
	for _, u := range urls {
		for _, at := range rounds {
			var items []feeds.Item
			for _, it := range outlets[u] {
				if visible == nil || visible(u, it, at) {
					items = append(items, it)
				}
			}
			f.results[u] = append(f.results[u], feeds.Result{Items: items})
		}
		feed, err := st.UpsertFeed(ctx, store.Feed{URL: u, Name: u})
		if err != nil {
			t.Fatal(err)
		}
		list = append(list, feed)
	}
	var now time.Time
	p := newTestPipeline(t, st, f, func() time.Time { return now })
	for i, at := range rounds {
		now = at
		if restart && i > 0 {
			p = newTestPipeline(t, st, f, func() time.Time { return now })
		}
		for _, r := range poll(p, list) {
			if r.Err != nil {
				t.Fatalf("poll %s: %v", r.Feed.URL, r.Err)
			}
		}
	}
	return storedPartition(t, st)
}

// storedPartition reads every stored item back and returns the stored partition: per story,
// the sorted "feed|key" of its items, space-separated; the groups sorted.
func storedPartition(t *testing.T, st store.Store) []string {
	t.Helper()
	items, err := st.RecentItems(context.Background(), time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	groups := map[string][]string{}
	for _, it := range items {
		groups[it.StoryID] = append(groups[it.StoryID], it.FeedName+"|"+it.Key)
	}
	var out []string
	for _, g := range groups {
		slices.Sort(g)
		out = append(out, strings.Join(g, " "))
	}
	slices.Sort(out)
	return out
}

// checkListOrder wants the same stored stories whatever the order of the feed list.
func checkListOrder(t *testing.T, outlets outletItems, now time.Time) []string {
	t.Helper()
	urls := slices.Sorted(maps.Keys(outlets))
	want := partitionOfPollAll(t, outlets, urls, now)
	rev := slices.Clone(urls)
	slices.Reverse(rev)
	rot := append(slices.Clone(urls[len(urls)/2:]), urls[:len(urls)/2]...)
	for name, order := range map[string][]string{"reversed": rev, "rotated": rot} {
		if got := partitionOfPollAll(t, outlets, order, now); !slices.Equal(got, want) {
			t.Errorf("feed list %s: %d stories, in order: %d; the partitions differ", name, len(got), len(want))
		}
	}
	return want
}

// TestPollAllListOrderFixture: three outlets report one agreement at interleaved times beside
// unrelated items; the stories are the same for every order of the feed list.
func TestPollAllListOrderFixture(t *testing.T) {
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	item := itemsBefore(now)
	deal := dealText
	outlets := outletItems{
		"https://a.example/rss": {
			item("a1", "Iraq and Iran sign border security agreement in Baghdad", deal, 5),
			item("a2", "Storm closes schools across southern Spain", "Heavy rain and wind closed schools in Andalusia on Monday.", 2),
		},
		"https://b.example/rss": {
			item("b1", "Baghdad and Tehran sign security pact on shared border", deal, 6),
			item("b2", "Central bank holds interest rates", "The central bank left its main rate unchanged on Monday.", 1),
		},
		"https://c.example/rss": {
			item("c1", "Iran and Iraq agree joint border patrols in security deal", deal, 3),
		},
	}
	want := checkListOrder(t, outlets, now)
	if !slices.Contains(want, "https://a.example/rss|a1 https://b.example/rss|b1 https://c.example/rss|c1") {
		t.Errorf("stories %q lack the agreement's three reports together", want)
	}
}

// TestPollAllListOrderRealDay polls one real day of the dev set's eleven outlets (skipped when
// ../shared is missing) with the feed list in three orders.
func TestPollAllListOrderRealDay(t *testing.T) {
	if testing.Short() {
		t.Skip("slow: polls a real day's 228 items three times")
	}
	want := checkListOrder(t, devOutlets(t, "2026-01-04"), time.Date(2026, 1, 5, 0, 0, 0, 0, time.UTC))
	t.Logf("%d stories", len(want))
}

// devOutlets reads the dev set's items of one day ("" for every day) as what each outlet's feed
// lists; it skips the test when ../shared is missing.
func devOutlets(t *testing.T, day string) outletItems {
	t.Helper()
	f, err := os.Open(filepath.Join("..", "..", "shared", "corpus", "labelled", "dev.jsonl"))
	if err != nil {
		t.Skipf("dev set not available: %v", err)
	}
	defer f.Close()
	outlets := outletItems{}
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<22)
	for sc.Scan() {
		var it struct {
			Feed, ID, Title, Description string
			Published                    time.Time
		}
		if err := json.Unmarshal(sc.Bytes(), &it); err != nil {
			t.Fatal(err)
		}
		if day != "" && it.Published.Format("2006-01-02") != day {
			continue
		}
		u := fmt.Sprintf("https://%s.example/rss", strings.TrimSuffix(it.Feed, ".xml"))
		outlets[u] = append(outlets[u], feeds.Item{Key: it.ID, URL: it.ID, Title: it.Title, Content: it.Description, Published: it.Published})
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return outlets
}
