package ingest

import (
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/sitrep-bot/sitrep/feeds"
)

// TestPollsFollowClustererRealDays polls the dev set's three days of eleven outlets (skipped when
// ../shared is missing) in several polls, as their items are published, with slow outlets, in
// shuffled feed-list and item orders: the stored partition read back from the store must be that
// of one poll of everything, whatever the poll boundaries (issue 14).
func TestPollsFollowClustererRealDays(t *testing.T) {
	if testing.Short() {
		t.Skip("slow: polls 731 real items several times")
	}
	outlets := devOutlets(t, "")
	var urls []string
	for u := range outlets {
		urls = append(urls, u)
	}
	slices.Sort(urls)
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
	}{
		{"4 polls by publication time", outlets, urls, hours(18, 36, 54), published},
		{"3 polls, feed list reversed", outlets, reversed, hours(30, 50), published},
		{"4 polls, slow outlets", outlets, urls, hours(20, 40, 60), late},
		{"4 polls, slow outlets, shuffled feeds and items", mixed, shuffled, hours(12, 30, 48), late},
	} {
		t.Run(c.name, func(t *testing.T) {
			got := partitionOfPolls(t, c.outlets, c.urls, c.rounds, c.visible)
			if !slices.Equal(got, want) {
				t.Errorf("%d stories, one poll: %d; the stored partitions differ in %d groups", len(got), len(want), diffGroups(got, want))
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
